import { z } from 'zod';
import { InputError } from '@backstage/errors';
import { invalidInputMessage } from '@fedstack/plugin-openstack-common';

/** Parses a request's input with zod; a bad input is a 400 naming each field at fault. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(invalidInputMessage(parsed.error, what));
  }
  return parsed.data;
}
