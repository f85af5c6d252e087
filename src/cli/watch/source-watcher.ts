import path from 'node:path';
import { watch } from 'chokidar';

export interface SourceWatcherOptions {
  /** The folder watched, with everything under it. */
  readonly dir: string;
  /** Called once a burst of changes has settled, with the changed paths relative to dir, sorted. */
  readonly onChange: (files: string[]) => void;
  /** Quiet time that ends a burst: an editor's save is often several writes and a rename. @default 200 */
  readonly settleMs?: number;
  /** A watching error after the start (e.g. the system's limit of watches reached). */
  readonly onError: (error: Error) => void;
  /** Arms the settle timer and returns what cancels it (tests settle bursts without waiting). @default setTimeout */
  readonly schedule?: (callback: () => void, delayMs: number) => () => void;
}

export interface SourceWatcher {
  close(): Promise<void>;
}

/** Editors' swap, backup and lock files, anything hidden and dependencies are not sources. */
export function isSourceFile(relativePath: string): boolean {
  const name = relativePath.split(/[\\/]/).pop() ?? '';
  if (name === '' || isHiddenOrDependency(relativePath)) return false;
  return !(name.endsWith('~') || /^#.*#$/.test(name) || /\.(swp|swx|tmp)$/.test(name));
}

/**
 * Watches a source tree and reports each burst of changes once. chokidar rather than a recursive
 * fs.watch: editors that save by writing a new file and renaming it over the old one replace the
 * inode, and Node's recursive watcher on Linux stops seeing later saves of that file.
 * Resolves once the tree has been read, so that every later change is reported.
 */
export async function watchSources(options: SourceWatcherOptions): Promise<SourceWatcher> {
  const settleMs = options.settleMs ?? 200;
  const pending = new Set<string>();
  // A file created and deleted within one burst (a tool's scratch file) changed nothing.
  const createdInBurst = new Set<string>();
  const schedule = options.schedule ?? scheduleTimeout;
  let cancelSettle: (() => void) | undefined;
  const flush = (): void => {
    cancelSettle = undefined;
    const files = [...pending].sort();
    pending.clear();
    createdInBurst.clear();
    if (files.length > 0) options.onChange(files);
  };
  const relative = (file: string): string => path.relative(options.dir, file);
  const watcher = watch(options.dir, {
    ignoreInitial: true,
    ignored: (file) => isHiddenOrDependency(relative(file)),
  });
  watcher.on('all', (event, file) => {
    const name = relative(file);
    if (event === 'addDir' || event === 'unlinkDir' || !isSourceFile(name)) return;
    if (event === 'add' && !pending.has(name)) createdInBurst.add(name);
    if (event === 'unlink' && createdInBurst.delete(name)) pending.delete(name);
    else pending.add(name);
    cancelSettle?.();
    cancelSettle = schedule(flush, settleMs);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      watcher.once('ready', () => resolve());
      watcher.once('error', reject);
    });
  } catch (error) {
    await watcher.close();
    throw error;
  }
  // Kept for the watcher's life: an 'error' event with no listener would end the process.
  watcher.on('error', (error) => options.onError(error instanceof Error ? error : new Error(String(error))));
  return {
    close: async () => {
      cancelSettle?.();
      cancelSettle = undefined;
      pending.clear();
      createdInBurst.clear();
      await watcher.close();
    },
  };
}

function scheduleTimeout(callback: () => void, delayMs: number): () => void {
  const timer = setTimeout(callback, delayMs);
  return () => clearTimeout(timer);
}

/** Hidden folders and files and node_modules are not watched at all (the root is ''). */
function isHiddenOrDependency(relativePath: string): boolean {
  return relativePath.split(/[\\/]/).some((part) => part.startsWith('.') || part === 'node_modules');
}
