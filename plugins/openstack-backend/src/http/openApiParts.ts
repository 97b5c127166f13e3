import { z } from 'zod';

/** Pieces every route's OpenAPI description uses, made from the zod schemas the routes use. */

export const jsonContent = (schema: z.ZodType, io: 'input' | 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io }) },
});

export const jsonResponse = (schema: z.ZodType, description: string) => ({
  description,
  content: jsonContent(schema, 'output'),
});

export const jsonBody = (schema: z.ZodType) => ({
  required: true,
  content: jsonContent(schema, 'input'),
});

export const errorResponse = {
  description:
    'Backstage error body: { error: { name, message }, request, response }',
};

export const pathParameter = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
});

export const siteParameters = [
  pathParameter('namespace'),
  pathParameter('name'),
];

/** Query parameters from a zod object schema, each described by its JSON schema. */
export const queryParameters = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: z.toJSONSchema(field as z.ZodType, { io: 'input' }),
  }));
