import { z } from 'zod';

/**
 * How a refused input is worded, in one place: `Invalid tenant request: project: lower-case
 * letters…; members.0.role: …`, each issue by its path. The backend's routes and the scaffolder
 * actions say it alike, so a template's user reads what a REST client or the form reads.
 */
export function invalidInputMessage(error: z.ZodError, what: string): string {
  return `Invalid ${what}: ${error.issues
    .map(issue => `${issue.path.join('.') || what}: ${issue.message}`)
    .join('; ')}`;
}
