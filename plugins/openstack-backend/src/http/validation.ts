import { z } from 'zod';
import { InputError } from '@backstage/errors';

/** Parses a request's input with zod; a bad input is a 400 naming each field at fault. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(
      `Invalid ${what}: ${parsed.error.issues
        .map(i => `${i.path.join('.') || what}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
