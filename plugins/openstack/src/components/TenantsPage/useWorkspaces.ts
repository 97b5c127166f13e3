import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';

/**
 * The workspaces of the signed-in user: the groups among their ownership refs (the user and the
 * groups they belong to), lower-cased as the backend compares them.
 */
export function useWorkspaces() {
  const identityApi = useApi(identityApiRef);
  return useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    return [
      ...new Set(
        ownershipEntityRefs
          .map(ref => ref.toLowerCase())
          .filter(ref => ref.startsWith('group:')),
      ),
    ].sort();
  }, [identityApi]);
}
