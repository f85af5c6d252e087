import { useEffect, useState } from 'react';

/** Where the console is: `#/<page>/<rest>?<params>`, so every view can be bookmarked and shared. */
export interface Route {
  readonly page: string;
  /** The path after the page, e.g. a trace id. */
  readonly rest: string;
  readonly params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = splitOnce(text, '?');
  const [page = '', rest = ''] = splitOnce(path, '/');
  return { page: page === '' ? 'map' : page, rest: decodeURIComponent(rest), params: new URLSearchParams(query) };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

export function routeHash(page: string, rest: string, params: Readonly<Record<string, string | undefined>>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(name, value);
  const queryText = query.toString();
  return `#/${page}${rest === '' ? '' : `/${encodeURIComponent(rest)}`}${queryText === '' ? '' : `?${queryText}`}`;
}

export function navigate(page: string, rest: string, params: Readonly<Record<string, string | undefined>>, replace = false): void {
  const hash = routeHash(page, rest, params);
  if (replace) window.history.replaceState(null, '', hash);
  else window.history.pushState(null, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = (): void => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    window.addEventListener('popstate', onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
      window.removeEventListener('popstate', onChange);
    };
  }, []);
  return parseRoute(hash);
}
