import { HttpError } from '../client/http';
import { CheckOutcome } from './types';

/** A read the check depends on failed: the check could not run, and says what it tried. */
export function couldNotRead(
  what: string,
  error: Pick<HttpError, 'message'>,
): CheckOutcome {
  return {
    status: 'error',
    message: `Could not read ${what}: ${error.message}`,
  };
}

export function pass(
  message: string,
  details?: Record<string, unknown>,
): CheckOutcome {
  return { status: 'pass', message, ...(details ? { details } : {}) };
}

export function warn(
  message: string,
  details?: Record<string, unknown>,
): CheckOutcome {
  return { status: 'warn', message, ...(details ? { details } : {}) };
}

export function fail(
  message: string,
  details?: Record<string, unknown>,
): CheckOutcome {
  return { status: 'fail', message, ...(details ? { details } : {}) };
}

export function skip(message: string): CheckOutcome {
  return { status: 'skip', message };
}

/** `a, b and c` */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
