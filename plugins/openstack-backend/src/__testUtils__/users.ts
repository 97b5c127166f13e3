import { mockServices } from '@backstage/backend-test-utils';

/**
 * A userInfo service whose users own what `ownershipOf` says (themselves and their groups): the
 * tenant routes' workspace membership comes from there. Test-only.
 */
export function userInfoWith(ownershipOf: (userRef: string) => string[]) {
  return mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const user = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef: user, ownershipEntityRefs: ownershipOf(user) };
    },
  }).factory;
}
