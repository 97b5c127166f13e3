import { OpenStackSession } from '@fedstack/plugin-openstack-node';
import { SANDBOX_SITES } from './sandbox';

/**
 * The sandbox's site-a as its admin sees it, for what a live test sets up in Keystone and takes
 * away again. Test-only.
 */

/** A session of site-a's admin, scoped to the admin project. Close it when done. */
export function sandboxAdmin(): OpenStackSession {
  return new OpenStackSession({
    keystoneUrl: SANDBOX_SITES['site-a'].keystoneUrl,
    region: SANDBOX_SITES['site-a'].region,
    credential: {
      type: 'password',
      username: 'admin',
      password: process.env.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret',
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
  });
}
