import type { RequestHandler } from 'express';

/** A JSON body without any `stack`, at any depth (a `cause` carries one too). */
export function withoutStackTraces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStackTraces);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'stack')
      .map(([key, inner]) => [key, withoutStackTraces(inner)]),
  );
}

/**
 * Every JSON answer of the backend without stack traces, whatever NODE_ENV and whichever
 * plugin's error handler wrote it.
 */
export const jsonWithoutStackTraces: RequestHandler = (_req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => json(withoutStackTraces(body));
  next();
};
