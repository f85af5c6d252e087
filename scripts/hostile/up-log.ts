/**
 * The addresses `npm start` prints (`npm start | tee up.log`), for --up-log: the HTTPS target's
 * port is picked at start and is printed nowhere else.
 */
export interface UpAddresses {
  gateway?: string;
  endpoint?: string;
  xray?: string;
  daemon?: string;
  otlp?: string;
  httpsTarget?: string;
}

const LINES: ReadonlyArray<readonly [keyof UpAddresses, RegExp]> = [
  ['gateway', /^\s+gateway\s+(http\S+)/m],
  ['endpoint', /^\s+aws\s+(http\S+)/m],
  ['xray', /^\s+api\s+(http\S+)/m],
  ['daemon', /^\s+daemon\s+udp:\/\/(\S+)/m],
  ['otlp', /^\s+otlp\s+(http\S+)/m],
  ['httpsTarget', /^\s+target\s+(https:\S+)/m],
];

export function parseUpLog(text: string): UpAddresses {
  const found: UpAddresses = {};
  for (const [key, pattern] of LINES) {
    const value = pattern.exec(text)?.[1];
    if (value !== undefined) found[key] = key === 'gateway' ? value.replace(/\/$/, '') : value;
  }
  return found;
}
