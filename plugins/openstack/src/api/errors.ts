import { ResponseError } from '@backstage/errors';

/**
 * What went wrong, in the backend's words: a ResponseError's own message only says
 * "Request failed with 400 Bad Request"; the backend's reason is its cause.
 */
export function apiErrorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
