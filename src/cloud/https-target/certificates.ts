import { generate } from 'selfsigned';

/**
 * A certificate authority made on the spot and a server certificate it signs for `localhost` and
 * 127.0.0.1. Clients trust the CA (NODE_EXTRA_CA_CERTS), never the server certificate itself, as
 * with a real public endpoint. Certificates are made by `selfsigned` (node's WebCrypto cannot
 * write X.509 on its own); EC P-256 keys keep it to milliseconds.
 */
export interface LocalCertificates {
  /** The CA certificate, PEM: what clients add to their trust store. */
  readonly caCert: string;
  /** The server's certificate (PEM) and private key (PKCS#8 PEM). */
  readonly cert: string;
  readonly key: string;
}

export interface CertificateOptions {
  /** Certificate validity starts now. @default new Date() */
  readonly now?: Date;
  /** @default 30 */
  readonly validDays?: number;
  /** Names the server certificate is valid for, besides localhost and 127.0.0.1. */
  readonly extraHostnames?: ReadonlyArray<string>;
}

export async function makeLocalCertificates(options: CertificateOptions = {}): Promise<LocalCertificates> {
  const notBeforeDate = options.now ?? new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + (options.validDays ?? 30) * 86_400_000);
  const common = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256', notBeforeDate, notAfterDate };
  const ca = await generate([{ name: 'commonName', value: 'xray-tracer local CA' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          ...(options.extraHostnames ?? []).map((value) => ({ type: 2 as const, value })),
        ],
      },
    ],
  });
  return { caCert: ca.cert, cert: server.cert, key: server.private };
}
