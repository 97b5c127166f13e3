import { Route, Routes } from 'react-router-dom';
import { TenantPage } from '../TenantPage';
import { TenantsPage } from './TenantsPage';

/** The tenant pages under their mount point: the list, and a tenant at `:id`. */
export const TenantsRouter = () => (
  <Routes>
    <Route path="/" element={<TenantsPage />} />
    <Route path="/:id" element={<TenantPage />} />
  </Routes>
);
