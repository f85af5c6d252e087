/**
 * Reading a request's body whole, under a size limit, for every HTTP listener of ours; each maps
 * the two failures to its own protocol's answer. Imports nothing of ours.
 */
import type { IncomingMessage } from 'node:http';

/** The body is over the limit: refused unread when its declared length says so, else as soon as it passes it. */
export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`the request body exceeds ${limitBytes} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * The request's connection failed while its body was read: the client went away, or the body
 * stalled and the body-idle timeout (server-timeouts.ts) closed it. There is nobody to answer.
 */
export class ClientGone extends Error {
  /** `error`: what the request stream emitted. */
  constructor(readonly error: Error) {
    super(error.message, { cause: error });
    this.name = 'ClientGone';
  }
}

/**
 * The whole body, or a rejection with `BodyTooLarge` or `ClientGone`. A body over the limit is
 * left unread but flowing (not destroyed) so that the client still reads the answer; the caller
 * closes the connection after it, since the rest must not be parsed as a next request.
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declaredBytes = Number(request.headers['content-length'] ?? '0');
  if (declaredBytes > limitBytes) return Promise.reject(new BodyTooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sizeBytes = 0;
    const onData = (chunk: Buffer): void => {
      sizeBytes += chunk.length;
      if (sizeBytes > limitBytes) {
        request.off('data', onData);
        request.off('end', onEnd);
        request.resume(); // drained (within the request timeout) so that the client reads the 413
        reject(new BodyTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks, sizeBytes));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', (error) => reject(new ClientGone(error)));
  });
}
