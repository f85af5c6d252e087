import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteMessageStore, SqsService } from '../../../src/cloud/sqs/index.ts';
import { FakeClock } from '../endpoint/harness.ts';

const CHILD = join(import.meta.dirname, 'support', 'crashing-sender.ts');

/** Runs the sender until it is ready, then kills it with SIGKILL. */
async function sendAndCrash(file: string, sent: number, inFlight: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(sent), String(inFlight)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sender never got ready: ${errors}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`the sender exited early (${code}): ${errors}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

describe('SQS durability', () => {
  let dir: string;
  let sqs: SqsService | undefined;

  afterEach(async () => {
    await sqs?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no message when the process is killed with messages in flight', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqs-kill-'));
    const file = join(dir, 'sqs.db');
    await sendAndCrash(file, 50, 12);
    const clock = new FakeClock(Date.now());
    sqs = new SqsService({ store: new SqliteMessageStore(file), clock });
    expect(sqs.counts('work')).toEqual({ visible: 38, inFlight: 12, delayed: 0 });
    clock.advance(31);
    const bodies: string[] = [];
    for (let round = 0; round < 10 && bodies.length < 50; round += 1) {
      for (const item of await sqs.receive('work', { maxMessages: 10 })) bodies.push(item.message.body);
    }
    expect(bodies.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `message ${i}`).sort());
  });
});
