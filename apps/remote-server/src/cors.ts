// CORS, so that a browser page on another origin can use the server.
import type {ServerResponse} from 'node:http';

export const ALLOWED_METHODS = 'GET, HEAD, POST, PATCH, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, If-Match, If-None-Match';

/**
 * Headers every answer carries: the allowed origin and `ETag` exposed to
 * scripts (the client needs it for conditional requests).
 *
 * @example
 * setCorsHeaders(response, '*');
 */
export const setCorsHeaders = (response: ServerResponse, origin: string): void => {
  response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Access-Control-Expose-Headers', 'ETag, Accept-Patch, Link');
  if (origin !== '*') response.setHeader('Vary', 'Origin');
};

/**
 * The extra headers of a preflight (`OPTIONS`) answer.
 *
 * @example
 * setPreflightHeaders(response);
 */
export const setPreflightHeaders = (response: ServerResponse): void => {
  response.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
  response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
  response.setHeader('Access-Control-Max-Age', '600');
};
