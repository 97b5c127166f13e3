import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { OpenStackPluginConfig, readOpenStackConfig } from '../config';

/**
 * The plugin's configuration from an `openstack` section, read as the plugin reads it (with
 * its defaults). Test-only.
 */
export function pluginConfig(openstack: object): OpenStackPluginConfig {
  return readOpenStackConfig(
    new ConfigReader({ openstack: openstack as JsonObject }),
  );
}
