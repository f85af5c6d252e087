/**
 * A CPU profile of this process (the main thread: gateway, endpoint, SNS, SQS, DynamoDB, Lambda
 * service, X-Ray receiver) over one phase of a benchmark, written where BENCH_PROFILE says;
 * open it in Chrome DevTools or any .cpuprofile viewer. Nothing happens without the variable.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export async function startProfile(): Promise<(() => Promise<string | undefined>)> {
  const file = process.env.BENCH_PROFILE;
  if (file === undefined || file === '') return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };
}
