import { z } from 'zod';

/**
 * The site console's wire format (`POST /sites/{namespace}/{name}/console`). The request
 * carries one typed line; the answer is NDJSON: `line` messages as the command writes them
 * (a refusal too), then one `end` with how the line ended.
 */

/** The console refuses longer lines itself, with its reason, as a normal answer. */
export const CONSOLE_MAX_LINE_LENGTH = 1000;

export const consoleRequestSchema = z.object({ line: z.string() }).strict();
export type ConsoleRequest = z.infer<typeof consoleRequestSchema>;

export const CONSOLE_OUTCOMES = [
  'ok',
  'refused',
  'error',
  'cancelled',
] as const;

export const consoleMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('line'), text: z.string() }),
  z.object({
    type: z.literal('end'),
    status: z.enum(CONSOLE_OUTCOMES),
    message: z.string().optional(),
  }),
]);
export type ConsoleMessage = z.infer<typeof consoleMessageSchema>;

export const CONSOLE_CONTENT_TYPE = 'application/x-ndjson';
