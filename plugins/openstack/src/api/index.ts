export { openstackApiRef } from './OpenStackApi';
export type {
  ExportedFile,
  OpenStackApi,
  ReplicationRunSummary,
  TenantQuery,
} from './OpenStackApi';
export { OpenStackClient } from './OpenStackClient';
export { apiErrorMessage } from './errors';
export { openstackConsoleApiRef } from './OpenStackConsoleApi';
export type { ConsoleEnd, OpenStackConsoleApi } from './OpenStackConsoleApi';
export { OpenStackConsoleClient } from './OpenStackConsoleClient';
