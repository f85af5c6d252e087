import { describe, expect, it } from 'vitest';
import { describeFiles, Reloader, type ReloadSteps } from '../../../src/cli/watch/reloader.ts';

/** Steps whose synthesis waits until the test releases it, recording every call. */
function scriptedSteps(builds: Array<string | Error>) {
  const calls: string[] = [];
  const releases: Array<() => void> = [];
  let build = 0;
  const steps: ReloadSteps = {
    synthesize: async () => {
      const result = builds[build++] ?? new Error('no more builds scripted');
      calls.push('synthesize');
      await new Promise<void>((resolve) => releases.push(resolve));
      if (result instanceof Error) throw result;
      return `/assembly/${result}`;
    },
    fingerprint: async (dir) => dir.slice('/assembly/'.length),
    restart: async (dir) => {
      calls.push(`restart ${dir}`);
      if (dir.endsWith('broken')) throw new Error('port 3000 in use');
      return `started ${dir}`;
    },
  };
  const releaseNext = async (): Promise<void> => {
    while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
    releases.shift()?.();
  };
  return { steps, calls, releaseNext };
}

function reloaderWith(builds: Array<string | Error>, running = 'v1') {
  const { steps, calls, releaseNext } = scriptedSteps(builds);
  const info: string[] = [];
  const errors: string[] = [];
  let clockMs = 0;
  const reloader = new Reloader({
    ...steps,
    running,
    log: { info: (line) => info.push(line), error: (line) => errors.push(line) },
    nowMs: () => (clockMs += 1500),
  });
  return { reloader, calls, releaseNext, info, errors };
}

describe('Reloader', () => {
  it('synthesizes, then restarts the cloud from the new assembly and says what changed and how long it took', async () => {
    const { reloader, calls, releaseNext, info, errors } = reloaderWith(['v2']);
    reloader.changed(['src/pattern/lambdas/http.ts']);
    await releaseNext();
    await reloader.idle();
    expect(calls).toEqual(['synthesize', 'restart /assembly/v2']);
    expect(info).toEqual(['Changed: src/pattern/lambdas/http.ts. Synthesizing...', 'Reloaded in 1.5 s: started /assembly/v2']);
    expect(errors).toEqual([]);
  });

  it('gathers the changes made during a reload into exactly one more reload', async () => {
    const { reloader, calls, releaseNext, info } = reloaderWith(['v2', 'v3']);
    reloader.changed(['a.ts']);
    reloader.changed(['b.ts']);
    reloader.changed(['c.ts', 'b.ts']);
    await releaseNext();
    await releaseNext();
    await reloader.idle();
    expect(calls).toEqual(['synthesize', 'restart /assembly/v2', 'synthesize', 'restart /assembly/v3']);
    expect(info.filter((line) => line.startsWith('Changed'))).toEqual(['Changed: a.ts. Synthesizing...', 'Changed: b.ts, c.ts. Synthesizing...']);
  });

  it('keeps the running cloud when synthesis fails, and shows why', async () => {
    const { reloader, calls, releaseNext, errors } = reloaderWith([new Error('ERROR: Expected ";" but found "}" at src/pattern/lambdas/http.ts:12:3')]);
    reloader.changed(['src/pattern/lambdas/http.ts']);
    await releaseNext();
    await reloader.idle();
    expect(calls).toEqual(['synthesize']);
    expect(errors).toEqual(['Synthesis failed; the cloud keeps running the last build.\nERROR: Expected ";" but found "}" at src/pattern/lambdas/http.ts:12:3']);
  });

  it('does not restart when the new assembly is the running one', async () => {
    const { reloader, calls, releaseNext, info } = reloaderWith(['v1']);
    reloader.changed(['src/pattern/lambdas/README.md']);
    await releaseNext();
    await reloader.idle();
    expect(calls).toEqual(['synthesize']);
    expect(info.at(-1)).toBe('The templates and handler bundles are unchanged: nothing to reload.');
  });

  it('after a failed restart, the next change restarts even the same build', async () => {
    const { reloader, calls, releaseNext, errors } = reloaderWith(['broken', 'broken', 'v2']);
    reloader.changed(['a.ts']);
    await releaseNext();
    await reloader.idle();
    expect(errors).toEqual(['Could not start the local cloud from the new build: port 3000 in use\nIt stays stopped until the next change.']);
    reloader.changed(['a.ts']);
    await releaseNext();
    await reloader.idle();
    reloader.changed(['a.ts']);
    await releaseNext();
    await reloader.idle();
    expect(calls).toEqual(['synthesize', 'restart /assembly/broken', 'synthesize', 'restart /assembly/broken', 'synthesize', 'restart /assembly/v2']);
  });

  it('close waits for the reload under way, then ignores changes and stays quiet about an interrupted synthesis', async () => {
    const { reloader, calls, releaseNext, errors } = reloaderWith([new Error('cdk was interrupted'), 'v3']);
    reloader.changed(['a.ts']);
    const closed = reloader.close();
    reloader.changed(['b.ts']);
    await releaseNext();
    await closed;
    expect(calls).toEqual(['synthesize']);
    expect(errors).toEqual([]);
  });
});

describe('Reloader, when a step fails unexpectedly or the user stops', () => {
  const log = () => {
    const lines = { info: [] as string[], error: [] as string[] };
    return { lines, log: { info: (line: string) => lines.info.push(line), error: (line: string) => lines.error.push(line) } };
  };

  it('says so when the new assembly cannot be read, keeps the running cloud and goes on watching', async () => {
    const { lines, log: sink } = log();
    let fingerprints = 0;
    const restarts: string[] = [];
    const reloader = new Reloader({
      running: 'v1',
      log: sink,
      synthesize: async () => '/assembly',
      fingerprint: async () => {
        fingerprints += 1;
        if (fingerprints === 1) throw new Error("ENOENT: no such file or directory, open '/assembly/TheHttpFlowStack.template.json'");
        return 'v2';
      },
      restart: async (dir) => {
        restarts.push(dir);
        return 'restarted';
      },
    });
    reloader.changed(['a.ts']);
    await reloader.idle();
    expect(lines.error).toEqual([expect.stringContaining("ENOENT: no such file or directory, open '/assembly/TheHttpFlowStack.template.json'")]);
    expect(restarts).toEqual([]);
    reloader.changed(['a.ts']);
    await reloader.idle();
    expect(restarts).toEqual(['/assembly']);
  });

  it('close stops a synthesis under way instead of waiting for it', async () => {
    const { lines, log: sink } = log();
    let aborted = false;
    const reloader = new Reloader({
      running: 'v1',
      log: sink,
      // A synthesis that would never end on its own.
      synthesize: (signal) => new Promise<string>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('The operation was aborted'));
        });
      }),
      fingerprint: async () => 'v2',
      restart: async () => 'restarted',
    });
    reloader.changed(['a.ts']);
    await new Promise((resolve) => setImmediate(resolve));
    await reloader.close();
    expect(aborted).toBe(true);
    expect(lines.error).toEqual([]);
  });
});

describe('describeFiles', () => {
  it('names up to three files, then counts the rest', () => {
    expect(describeFiles(['a'])).toBe('a');
    expect(describeFiles(['a', 'b', 'c'])).toBe('a, b, c');
    expect(describeFiles(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});
