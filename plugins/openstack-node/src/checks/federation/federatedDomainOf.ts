import { ScanContext } from '../context';
import { couldNotRead, fail } from '../outcomes';
import { identityProvider } from '../sharedIdentityReads';
import { CheckOutcome } from '../types';

/**
 * The domain the identity provider puts its users in, or the outcome that says why there is
 * none: what federation.domain and federation.users both start from.
 */
export async function federatedDomainOf(
  context: ScanContext,
): Promise<{ domainId: string } | { outcome: CheckOutcome }> {
  const name = context.settings.identityProvider;
  const idp = await identityProvider(context);
  if (!idp.ok && idp.error.status === 404) {
    return {
      outcome: fail(
        `Identity provider ${name} does not exist, so it has no federated domain`,
      ),
    };
  }
  if (!idp.ok) {
    return { outcome: couldNotRead('the identity provider', idp.error) };
  }
  if (!idp.data.domain_id) {
    return {
      outcome: fail(`Identity provider ${name} names no domain for its users`),
    };
  }
  return { domainId: idp.data.domain_id };
}
