import { WarningPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { OPENSTACK_ANNOTATIONS } from '@fedstack/plugin-openstack-common';
import { Route, Routes, useResolvedPath } from 'react-router-dom';
import { TenantPage } from '../TenantPage';

// A tenant id as the backend makes them; anything else on an entity is not looked up.
const TENANT_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant page on its `openstack-project` entity's tab: the same page as at
 * `/openstack/tenants/:id`, for the tenant the entity's `tenant-id` annotation names.
 */
export const TenantEntityContent = () => {
  const { entity } = useEntity();
  const here = useResolvedPath('.').pathname.replace(/\/$/, '');
  const id = entity.metadata.annotations?.[OPENSTACK_ANNOTATIONS.tenantId];
  if (!id || !TENANT_ID.test(id)) {
    return (
      <WarningPanel
        title="Not an imported tenant"
        message={`This entity has no valid ${OPENSTACK_ANNOTATIONS.tenantId} annotation: the catalog module's tenant provider sets it on the tenants it imports.`}
      />
    );
  }
  // The tenant page reads its tenant from the route (`:id`): it is rendered as if at
  // `<this tab>/<id>`, without changing the browser's address.
  return (
    <Routes location={{ pathname: `${here}/${id}` }}>
      <Route path=":id" element={<TenantPage />} />
    </Routes>
  );
};
