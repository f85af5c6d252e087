/**
 * What the long-running commands (`up`, `xray`) do with an error nothing caught. Every listener
 * catches per request, datagram and span (a hostile input costs that input only), so what reaches
 * here is a defect elsewhere, and the two kinds differ:
 * - an unhandled promise rejection is a result nobody waited for: the state it leaves is the same
 *   as if the work had not been done, so it is logged (rate-limited) and the services keep serving;
 * - an uncaught exception left a synchronous handler halfway, and Node's documentation is plain
 *   that the process is then in an undefined state: it is logged, everything is stopped the way
 *   Ctrl-C stops it (listeners first, then every accepted document written), and the process
 *   exits 1, rather than serving on from state nobody can vouch for.
 */
import { errorText } from '../common/preview.ts';

export interface ProcessGuardOptions {
  /** The process, or a stand-in in tests. */
  readonly process: Pick<NodeJS.Process, 'on'>;
  readonly logError: (line: string) => void;
  /** Stops everything gracefully and exits with the code; called once. */
  readonly stopAndExit: (exitCode: number) => void;
  /** Rejections logged one by one; after that one line every REJECTIONS_PER_LINE. */
  readonly rejectionsLoggedInFull?: number;
}

const REJECTIONS_PER_LINE = 1000;

export function guardProcess(options: ProcessGuardOptions): { readonly rejections: () => number } {
  const inFull = options.rejectionsLoggedInFull ?? 20;
  let rejections = 0;
  let stopping = false;
  options.process.on('unhandledRejection', (reason: unknown) => {
    rejections++;
    if (rejections <= inFull) {
      const stack = reason instanceof Error && reason.stack !== undefined ? `\n${reason.stack}` : '';
      options.logError(`error: a promise rejection nothing handled (the services keep running): ${errorText(reason)}${stack}`);
    } else if (rejections % REJECTIONS_PER_LINE === 0) {
      options.logError(`error: ${rejections} promise rejections nothing handled so far (the services keep running)`);
    }
  });
  options.process.on('uncaughtException', (error: unknown) => {
    const stack = error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : '';
    options.logError(`fatal: an exception nothing caught: ${errorText(error)}${stack}`);
    if (stopping) return;
    stopping = true;
    options.logError('fatal: stopping, writing every accepted document, then exiting 1');
    options.stopAndExit(1);
  });
  return { rejections: () => rejections };
}
