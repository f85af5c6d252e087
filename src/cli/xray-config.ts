import { isIP } from 'node:net';
import path from 'node:path';

/**
 * The `xray` command's settings: each from its flag, else its environment variable, else the
 * default. Every bad value is an error naming where it came from and what was wrong.
 */
export interface XrayServiceConfig {
  readonly host: string;
  readonly daemonHost: string;
  readonly daemonPort: number;
  readonly apiPort: number;
  /** The OTLP/HTTP receiver's port on `host`, or false when turned off (`off`). */
  readonly otlpPort: number | false;
  /** OTel attribute keys recorded as annotations. */
  readonly otlpAnnotations: readonly string[];
  readonly dataDir: string;
  readonly retentionDays: number;
  readonly samplingRate: number;
  /** Host names the listeners accept besides local ones; a leading dot takes subdomains too. */
  readonly allowedHosts: readonly string[];
}

export interface XrayServiceFlags {
  readonly host?: string | undefined;
  readonly daemonAddress?: string | undefined;
  readonly apiPort?: string | undefined;
  readonly otlpPort?: string | undefined;
  readonly otlpAnnotations?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly retentionDays?: string | undefined;
  readonly samplingRate?: string | undefined;
  /** `--allowed-host`, repeatable. */
  readonly allowedHost?: readonly string[] | undefined;
}

/** The flags that take one value. */
type ScalarFlag = Exclude<keyof XrayServiceFlags, 'allowedHost'>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Flag name -> environment variable, as documented in the command's help. */
export const ENVIRONMENT: Readonly<Record<keyof XrayServiceFlags, string>> = {
  host: 'XRAY_TRACER_HOST',
  daemonAddress: 'XRAY_TRACER_DAEMON_ADDRESS',
  apiPort: 'XRAY_TRACER_API_PORT',
  otlpPort: 'XRAY_TRACER_OTLP_PORT',
  otlpAnnotations: 'XRAY_TRACER_OTLP_ANNOTATIONS',
  dataDir: 'XRAY_TRACER_DATA_DIR',
  retentionDays: 'XRAY_TRACER_RETENTION_DAYS',
  samplingRate: 'XRAY_TRACER_SAMPLING_RATE',
  allowedHost: 'XRAY_TRACER_ALLOWED_HOSTS',
};

const FLAG: Readonly<Record<keyof XrayServiceFlags, string>> = {
  host: '--host',
  daemonAddress: '--daemon-address',
  apiPort: '--api-port',
  otlpPort: '--otlp-port',
  otlpAnnotations: '--otlp-annotations',
  dataDir: '--data-dir',
  retentionDays: '--retention-days',
  samplingRate: '--sampling-rate',
  allowedHost: '--allowed-host',
};

export const DEFAULTS = {
  host: '127.0.0.1',
  daemonPort: 2000,
  apiPort: 2001,
  /** OTLP/HTTP's own default port. */
  otlpPort: 4318,
  dataDir: '.xray-tracer',
  retentionDays: 30,
  samplingRate: 1,
} as const;

export function resolveConfig(flags: XrayServiceFlags, env: NodeJS.ProcessEnv, cwd: string): XrayServiceConfig {
  const pick = (key: ScalarFlag): { value: string; source: string } | undefined => {
    const flag = flags[key];
    if (flag !== undefined) return { value: flag, source: FLAG[key] };
    const fromEnv = env[ENVIRONMENT[key]];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: ENVIRONMENT[key] };
    return undefined;
  };

  const hostSetting = pick('host');
  const host = hostSetting ? parseHost(hostSetting.value, hostSetting.source) : DEFAULTS.host;

  const daemonSetting = pick('daemonAddress');
  const daemon = daemonSetting ? parseAddress(daemonSetting.value, daemonSetting.source, host) : { host, port: DEFAULTS.daemonPort };

  const apiSetting = pick('apiPort');
  const apiPort = apiSetting ? parsePort(apiSetting.value, apiSetting.source) : DEFAULTS.apiPort;

  const otlpSetting = pick('otlpPort');
  const otlpPort = otlpSetting ? (otlpSetting.value.toLowerCase() === 'off' ? false : parsePort(otlpSetting.value, otlpSetting.source, ' or off')) : DEFAULTS.otlpPort;

  const annotationsSetting = pick('otlpAnnotations');
  const otlpAnnotations = annotationsSetting ? parseKeys(annotationsSetting.value, annotationsSetting.source) : [];

  const dirSetting = pick('dataDir');
  if (dirSetting && dirSetting.value.trim() === '') throw new ConfigError(`${dirSetting.source} must not be empty`);
  const dataDir = path.resolve(cwd, dirSetting?.value ?? DEFAULTS.dataDir);

  const retentionSetting = pick('retentionDays');
  const retentionDays = retentionSetting
    ? parseNumber(retentionSetting.value, retentionSetting.source, (n) => n > 0, 'a number of days greater than 0')
    : DEFAULTS.retentionDays;

  const rateSetting = pick('samplingRate');
  const samplingRate = rateSetting
    ? parseNumber(rateSetting.value, rateSetting.source, (n) => n >= 0 && n <= 1, 'a fraction from 0 to 1')
    : DEFAULTS.samplingRate;

  const allowedHosts = flags.allowedHost !== undefined && flags.allowedHost.length > 0
    ? flags.allowedHost.map((name) => parseHostName(name, FLAG.allowedHost))
    : (env[ENVIRONMENT.allowedHost] ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '')
      .map((name) => parseHostName(name, ENVIRONMENT.allowedHost));

  if (daemon.port !== 0 && daemon.port === apiPort && daemon.host === host) {
    throw new ConfigError(`the daemon (${daemon.host}:${daemon.port}) and the API (port ${apiPort}) cannot share a TCP port`);
  }
  if (otlpPort !== false && otlpPort !== 0) {
    if (otlpPort === apiPort) throw new ConfigError(`the OTLP receiver and the API cannot share port ${otlpPort}`);
    if (otlpPort === daemon.port && daemon.host === host) {
      throw new ConfigError(`the OTLP receiver and the daemon (${daemon.host}:${daemon.port}) cannot share a TCP port`);
    }
  }
  return { host, daemonHost: daemon.host, daemonPort: daemon.port, apiPort, otlpPort, otlpAnnotations, dataDir, retentionDays, samplingRate, allowedHosts };
}

/** A DNS name without scheme or port; a leading dot accepts its subdomains too. */
export function parseHostName(value: string, source: string): string {
  const name = value.trim().toLowerCase();
  if (!/^\.?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/.test(name) || name.length > 253) {
    throw new ConfigError(`${source} must be a host name such as devbox.lan (a leading dot allows its subdomains), without scheme or port, got ${JSON.stringify(value)}`);
  }
  return name;
}

function parseHost(value: string, source: string): string {
  if (isIP(value) === 0 && value !== 'localhost') {
    throw new ConfigError(`${source} must be an IP address such as 127.0.0.1 (or localhost), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `port` or `host:port`, as AWS_XRAY_DAEMON_ADDRESS takes it. */
function parseAddress(value: string, source: string, defaultHost: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  if (colon < 0) return { host: defaultHost, port: parsePort(value, source) };
  const host = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host: parseHost(host, source), port: parsePort(value.slice(colon + 1), source) };
}

function parsePort(value: string, source: string, alternative = ''): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new ConfigError(`${source} must be a port number from 0 to 65535${alternative}, got ${JSON.stringify(value)}`);
  }
  return port;
}

/** A comma-separated list of attribute keys, e.g. `order.id,customer.tier`. */
function parseKeys(value: string, source: string): string[] {
  const keys = value.split(',').map((key) => key.trim());
  if (keys.some((key) => key === '')) throw new ConfigError(`${source} must be attribute keys separated by commas, got ${JSON.stringify(value)}`);
  return keys;
}

function parseNumber(value: string, source: string, valid: (n: number) => boolean, expected: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || !valid(number)) throw new ConfigError(`${source} must be ${expected}, got ${JSON.stringify(value)}`);
  return number;
}
