import express from 'express';

/** An error body without any `stack`, at any depth (a `cause` carries one too). */
function withoutStacks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStacks);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'stack')
      .map(([key, inner]) => [key, withoutStacks(inner)]),
  );
}

/** Makes this response's JSON body carry no stack trace. */
export function answerWithoutStacks(res: express.Response) {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => json(withoutStacks(body));
}

/**
 * Error bodies without stack traces, whatever NODE_ENV: Backstage's error handler puts the
 * stack (absolute paths of the server) in the body under NODE_ENV=development. It still logs
 * the error with its stack; this only strips the answer. Mounted after the plugin's routes.
 */
const stripStacks: express.ErrorRequestHandler = (error, _req, res, next) => {
  answerWithoutStacks(res);
  next(error);
};
// Express tells an error handler by its four parameters; httpRouter.use types one handler type.
export const errorBodiesWithoutStacks =
  stripStacks as unknown as express.RequestHandler;

/**
 * Every JSON answer of a backend without stack traces, for an app's root router (before its
 * routes): Backstage's own error answers there (a plugin's credentials barrier, 404) carry one
 * under NODE_ENV=development, before any plugin's routes could strip it.
 *
 * @public
 */
export const jsonWithoutStackTraces: express.RequestHandler = (
  _req,
  res,
  next,
) => {
  answerWithoutStacks(res);
  next();
};
