// A module resolve hook for ES module handlers: ESM ignores NODE_PATH, but the managed runtime's ESM
// handlers still import the runtime's AWS SDK, so a bare specifier that resolves nowhere from the
// importing file is tried again from each NODE_PATH folder, in order, as CommonJS would.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let parents = [];

export async function initialize(data) {
  parents = (data?.paths ?? []).map((folder) => pathToFileURL(join(folder, 'noop.js')).href);
}

function isBare(specifier) {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(specifier);
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) throw error;
    for (const parentURL of parents) {
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch (retryError) {
        if (retryError?.code !== 'ERR_MODULE_NOT_FOUND') throw retryError;
      }
    }
    throw error;
  }
}
