import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveConfig } from '../../src/cli/xray-config.ts';

const CWD = '/srv/app';

describe('resolveConfig', () => {
  test('defaults: daemon and API on 127.0.0.1:2000/2001, data in ./.xray-tracer, 30 days, sample everything', () => {
    expect(resolveConfig({}, {}, CWD)).toEqual({
      host: '127.0.0.1',
      daemonHost: '127.0.0.1',
      daemonPort: 2000,
      apiPort: 2001,
      otlpPort: 4318,
      otlpAnnotations: [],
      dataDir: path.join(CWD, '.xray-tracer'),
      retentionDays: 30,
      samplingRate: 1,
      allowedHosts: [],
    });
  });

  test('--allowed-host is repeatable, lower-cased, and overrides the comma-separated environment variable', () => {
    const env = { XRAY_TRACER_ALLOWED_HOSTS: 'a.lan, .b.lan' };
    expect(resolveConfig({}, env, CWD).allowedHosts).toEqual(['a.lan', '.b.lan']);
    expect(resolveConfig({ allowedHost: ['DevBox.lan', 'other'] }, env, CWD).allowedHosts).toEqual(['devbox.lan', 'other']);
  });

  test.each(['http://devbox.lan', 'devbox.lan:2001', 'a b', '', '..lan'])('--allowed-host %j is an error naming the flag', (value) => {
    expect(() => resolveConfig({ allowedHost: [value] }, {}, CWD)).toThrow(/--allowed-host must be a host name/);
  });

  test('environment variables override defaults and flags override both', () => {
    const env = {
      XRAY_TRACER_DAEMON_ADDRESS: '127.0.0.1:3000',
      XRAY_TRACER_API_PORT: '3001',
      XRAY_TRACER_DATA_DIR: '/var/xray',
      XRAY_TRACER_RETENTION_DAYS: '7',
      XRAY_TRACER_SAMPLING_RATE: '0.5',
    };
    expect(resolveConfig({}, env, CWD)).toMatchObject({ daemonPort: 3000, apiPort: 3001, dataDir: '/var/xray', retentionDays: 7, samplingRate: 0.5 });
    expect(resolveConfig({ apiPort: '4001', dataDir: 'data', samplingRate: '0.1' }, env, CWD)).toMatchObject({
      daemonPort: 3000,
      apiPort: 4001,
      dataDir: path.join(CWD, 'data'),
      samplingRate: 0.1,
    });
  });

  test('a daemon address of a bare port uses --host; host:port sets its own host', () => {
    expect(resolveConfig({ host: '0.0.0.0', daemonAddress: '2100' }, {}, CWD)).toMatchObject({ host: '0.0.0.0', daemonHost: '0.0.0.0', daemonPort: 2100 });
    expect(resolveConfig({ daemonAddress: '[::1]:2100' }, {}, CWD)).toMatchObject({ host: '127.0.0.1', daemonHost: '::1', daemonPort: 2100 });
  });

  test('port 0 picks free ports for both', () => {
    expect(resolveConfig({ daemonAddress: '0', apiPort: '0' }, {}, CWD)).toMatchObject({ daemonPort: 0, apiPort: 0 });
  });

  test('the OTLP receiver: a port, 0 for a free one, or off; annotation keys separated by commas', () => {
    expect(resolveConfig({ otlpPort: '0' }, {}, CWD).otlpPort).toBe(0);
    expect(resolveConfig({}, { XRAY_TRACER_OTLP_PORT: 'off' }, CWD).otlpPort).toBe(false);
    expect(resolveConfig({ otlpPort: '4319' }, { XRAY_TRACER_OTLP_PORT: 'off' }, CWD).otlpPort).toBe(4319);
    expect(resolveConfig({ otlpAnnotations: 'order.id, customer.tier' }, {}, CWD).otlpAnnotations).toEqual(['order.id', 'customer.tier']);
    expect(resolveConfig({}, { XRAY_TRACER_OTLP_ANNOTATIONS: 'a' }, CWD).otlpAnnotations).toEqual(['a']);
    expect(resolveConfig({ otlpPort: 'off', apiPort: '4318' }, {}, CWD)).toMatchObject({ otlpPort: false, apiPort: 4318 });
  });

  test('an empty environment variable counts as unset', () => {
    expect(resolveConfig({}, { XRAY_TRACER_API_PORT: '' }, CWD).apiPort).toBe(2001);
  });

  test.each([
    [{ apiPort: 'http' }, {}, '--api-port must be a port number from 0 to 65535, got "http"'],
    [{ apiPort: '70000' }, {}, '--api-port must be a port number from 0 to 65535, got "70000"'],
    [{}, { XRAY_TRACER_API_PORT: '-1' }, 'XRAY_TRACER_API_PORT must be a port number from 0 to 65535, got "-1"'],
    [{ daemonAddress: 'localhost:abc' }, {}, '--daemon-address must be a port number from 0 to 65535, got "abc"'],
    [{ daemonAddress: 'example.com:2000' }, {}, '--daemon-address must be an IP address such as 127.0.0.1 (or localhost), got "example.com"'],
    [{ host: 'my host' }, {}, '--host must be an IP address such as 127.0.0.1 (or localhost), got "my host"'],
    [{ retentionDays: '0' }, {}, '--retention-days must be a number of days greater than 0, got "0"'],
    [{}, { XRAY_TRACER_RETENTION_DAYS: 'month' }, 'XRAY_TRACER_RETENTION_DAYS must be a number of days greater than 0, got "month"'],
    [{ samplingRate: '2' }, {}, '--sampling-rate must be a fraction from 0 to 1, got "2"'],
    [{ samplingRate: '' }, {}, '--sampling-rate must be a fraction from 0 to 1, got ""'],
    [{ dataDir: ' ' }, {}, '--data-dir must not be empty'],
    [{ daemonAddress: '2001' }, {}, 'the daemon (127.0.0.1:2001) and the API (port 2001) cannot share a TCP port'],
    [{ otlpPort: 'on' }, {}, '--otlp-port must be a port number from 0 to 65535 or off, got "on"'],
    [{}, { XRAY_TRACER_OTLP_PORT: '99999' }, 'XRAY_TRACER_OTLP_PORT must be a port number from 0 to 65535 or off, got "99999"'],
    [{ otlpPort: '2001' }, {}, 'the OTLP receiver and the API cannot share port 2001'],
    [{ otlpPort: '2000' }, {}, 'the OTLP receiver and the daemon (127.0.0.1:2000) cannot share a TCP port'],
    [{ otlpAnnotations: 'a,,b' }, {}, '--otlp-annotations must be attribute keys separated by commas, got "a,,b"'],
  ])('refuses %j %j', (flags, env, message) => {
    expect(() => resolveConfig(flags, env, CWD)).toThrow(message);
  });
});
