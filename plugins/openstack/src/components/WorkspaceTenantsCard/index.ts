export { WorkspaceTenantsCard } from './WorkspaceTenantsCard';
