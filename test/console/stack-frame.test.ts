import { describe, expect, it } from 'vitest';
import { cutUrl, frameText } from '../../src/console/trace/stack-frame.ts';

describe('a stack frame as text', () => {
  it('marks the file URLs the X-Ray SDK for Node.js cut at their first colon, as its corpus documents show them', () => {
    // From test/xray/segments/fixtures/sdk-corpus/node-segment-remote-call.json.
    expect(frameText({ path: 'file', line: null, label: 'Socket.<anonymous>' })).toBe('at Socket.<anonymous> (file:…)');
    expect(frameText({ path: 'node', line: null, label: 'process.processTicksAndRejections' })).toBe('at process.processTicksAndRejections (node:…)');
    expect(cutUrl({ path: 'file', line: null })).toBe(true);
    expect(cutUrl({ path: 'file:///var/task/index.mjs', line: 3 })).toBe(false);
  });

  it('reads as the runtime printed it', () => {
    expect(frameText({ path: 'file:///var/task/index.mjs', line: 12, label: 'handler' })).toBe('at handler (file:///var/task/index.mjs:12)');
    expect(frameText({ path: '/var/task/index.js', line: 3, label: 'anonymous' })).toBe('at anonymous (/var/task/index.js:3)');
  });

  it('shows only the parts a frame has: no "?" for a missing line, no "(?:?)" for a label alone', () => {
    expect(frameText({ label: 'async Promise.all (index 0)' })).toBe('at async Promise.all (index 0)');
    expect(frameText({ path: '/x.js', line: null, label: 'handler' })).toBe('at handler (/x.js)');
    expect(frameText({ path: '/x.js', line: 4 })).toBe('at /x.js:4');
  });
});
