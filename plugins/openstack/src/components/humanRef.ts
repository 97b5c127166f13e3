import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';

/**
 * "platform-team", "site-a": an entity ref as people read it (the namespace only when not
 * `default`); a ref that does not parse is shown as it came.
 */
export function humanRef(ref: string, defaultKind: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind });
  } catch {
    return ref;
  }
}
