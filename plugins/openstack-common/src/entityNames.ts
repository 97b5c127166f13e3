import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';

// The catalog's own rules. A name such as `..` must never reach a catalog URL: the catalog
// client does not encode dots, so `/entities/by-name/resource/../..` becomes `/entities/`.
const catalogRules = makeValidator();

/** An entity name the catalog accepts (`site-a`, `Site_A.1`; never `.` or `..`). */
export const entityNameSchema = z
  .string()
  .refine(name => catalogRules.isValidEntityName(name), 'not an entity name');

/** An entity namespace the catalog accepts; refs compare ignoring case, so `Default` is one. */
export const entityNamespaceSchema = z
  .string()
  .refine(
    namespace => catalogRules.isValidNamespace(namespace.toLowerCase()),
    'not an entity namespace',
  );

/** Whether `ref` (`kind:namespace/name`) is of this kind with a namespace and name the catalog accepts. */
export function isValidEntityRef(ref: string, kind: string): boolean {
  try {
    const parsed = parseEntityRef(ref);
    return (
      parsed.kind.toLowerCase() === kind &&
      catalogRules.isValidNamespace(parsed.namespace.toLowerCase()) &&
      catalogRules.isValidEntityName(parsed.name)
    );
  } catch {
    return false;
  }
}
