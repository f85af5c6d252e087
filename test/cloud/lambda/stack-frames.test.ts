import { describe, expect, it } from 'vitest';
import { parseStackLine } from '../../../src/cloud/lambda/stack-frames.ts';

describe('a V8 stack line as an X-Ray stack frame', () => {
  it('keeps the path and line as the runtime wrote them, a file URL too', () => {
    expect(parseStackLine('    at Runtime.handler (file:///var/task/index.mjs:12:9)')).toEqual({ path: 'file:///var/task/index.mjs', line: 12, label: 'Runtime.handler' });
    expect(parseStackLine('at processTicksAndRejections (node:internal/process/task_queues:95:5)')).toEqual({ path: 'node:internal/process/task_queues', line: 95, label: 'processTicksAndRejections' });
    expect(parseStackLine('at C:\\app\\index.js:3:1')).toEqual({ path: 'C:\\app\\index.js', line: 3, label: 'anonymous' });
  });

  it('names an unnamed function anonymous, and keeps a line without a location as its label', () => {
    expect(parseStackLine('    at file:///var/task/index.mjs:3:1')).toEqual({ path: 'file:///var/task/index.mjs', line: 3, label: 'anonymous' });
    expect(parseStackLine('    at async Promise.all (index 0)')).toEqual({ label: 'async Promise.all (index 0)' });
  });
});
