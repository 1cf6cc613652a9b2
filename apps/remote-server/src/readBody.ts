// Reads a request body up to a limit, never buffering more than the limit.
import type {IncomingMessage} from 'node:http';

/** The body, or `'too-large'` as soon as it is known to exceed the limit. */
export type BodyResult = {body: Buffer} | 'too-large';

/**
 * Reads `request`'s body. Stops reading (pauses the request) as soon as the
 * declared `Content-Length` or the bytes received exceed `limitBytes`.
 *
 * @example
 * const result = await readBody(request, 1_000_000);
 * if (result === 'too-large') respond(413);
 */
export const readBody = (request: IncomingMessage, limitBytes: number): Promise<BodyResult> => {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanUp = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanUp();
        request.pause();
        chunks.length = 0;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve({body: Buffer.concat(chunks, size)});
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
};
