import {
  EmptyState,
  LinkButton,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  openstackTenantRequestPermission,
  Tenant,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { openstackApiRef } from '../../api';
import { TENANTS_PATH, tenantsRouteRef, useMountedPath } from '../../routes';
import { NOT_A_REQUESTER } from '../TenantsPage/TenantsPage';
import { TenantTable } from '../TenantsPage/TenantTable';
import { useWorkspaces } from '../TenantsPage/useWorkspaces';

/**
 * The Tenants tab of a Group: the workspace's tenants, and where to request one. The backend
 * shows a workspace's tenants to its members (and to platform operators) only.
 */
export const WorkspaceTenantsCard = () => {
  const { entity } = useEntity();
  const workspace = stringifyEntityRef(entity).toLowerCase();
  const openstackApi = useApi(openstackApiRef);
  const workspaces = useWorkspaces();
  // From a group's page the tenant pages are elsewhere in the app: absolute links.
  const tenantsPath = useMountedPath(tenantsRouteRef, TENANTS_PATH);
  const requestLink = `${tenantsPath}?workspace=${encodeURIComponent(
    workspace,
  )}&request=1`;
  const linkTo = (tenant: Tenant) => `${tenantsPath}/${tenant.id}`;
  const member = workspaces.value?.includes(workspace) ?? false;
  // Members are offered the request form only with openstack.tenant.request (the backend checks
  // both); without it they are told why.
  const requester = usePermission({
    permission: openstackTenantRequestPermission,
  });
  const mayRequest = member && requester.allowed;
  const requestAction = mayRequest ? (
    <LinkButton to={requestLink} variant="contained" color="primary">
      Request a tenant
    </LinkButton>
  ) : (
    member &&
    !requester.loading && (
      <Typography variant="body2" color="textSecondary">
        {NOT_A_REQUESTER}
      </Typography>
    )
  );
  const tenants = useAsync(
    () => openstackApi.listTenants({ workspace }),
    [openstackApi, workspace],
  );

  if (tenants.error) return <ResponseErrorPanel error={tenants.error} />;
  return (
    <>
      <TenantTable
        title="OpenStack tenants"
        tenants={tenants.value ?? []}
        isLoading={tenants.loading || workspaces.loading}
        linkTo={linkTo}
        emptyContent={
          member ? (
            <EmptyState
              missing="data"
              title="This workspace has no tenants"
              description="Members of the group can request a project on one of the federation's OpenStack sites."
              action={requestAction || undefined}
            />
          ) : (
            <EmptyState
              missing="data"
              title="Only the group's members see its tenants"
              description="Members of the group request and see its OpenStack projects; platform operators see every workspace's."
            />
          )
        }
      />
      {member && (tenants.value?.length ?? 0) > 0 && (
        <Box mt={2}>
          {mayRequest ? (
            <LinkButton to={requestLink} variant="outlined">
              Request a tenant
            </LinkButton>
          ) : (
            requestAction
          )}
        </Box>
      )}
    </>
  );
};
