import { z } from 'zod';
import { InputError } from '@backstage/errors';
import { invalidInputMessage } from '@fedstack/plugin-openstack-common';
import { JsonObject } from '@backstage/types';

/**
 * Parses an action's input with the REST route's own zod schema and words a refusal as the
 * route does (`Invalid tenant request: project: lower-case letters…`), so that a template's
 * user reads the same error as the form's or a REST client's.
 */
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

// Keywords that judge values: left to the zod schema, whose messages are the REST route's.
const VALUE_RULES = new Set([
  '$schema',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'maxItems',
  'minItems',
  'propertyNames',
  'additionalProperties',
]);

function shapeOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shapeOnly);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !VALUE_RULES.has(key))
      .map(([key, value]) => [key, shapeOnly(value)]),
  );
}

/**
 * The JSON Schema the scaffolder shows for an action (its actions page, the template editor) and
 * checks before the action runs, from the REST route's zod schema: fields, types, required
 * fields and descriptions. Value rules (patterns, lengths, bounds, unknown keys) are left out
 * of it: the scaffolder would word them its own way, the action refuses them as the route does.
 */
export function actionInputSchema(
  schema: z.ZodType,
  descriptions: Record<string, string>,
): JsonObject {
  const json = shapeOnly(
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  ) as JsonObject & { properties?: Record<string, JsonObject> };
  for (const [key, description] of Object.entries(descriptions)) {
    const property = json.properties?.[key];
    if (!property) throw new Error(`No input field ${key} to describe`);
    property.description = description;
  }
  return json;
}
