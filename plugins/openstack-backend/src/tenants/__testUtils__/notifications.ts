import { Server } from 'node:http';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { as } from '../../__testUtils__/backend';

/**
 * Reading what the real notifications backend (`@backstage/plugin-notifications-backend`, started
 * beside the plugin) holds for a user, through its REST API as that user. Test-only.
 */

export interface ReadNotification {
  id: string;
  user: string;
  created: string;
  updated?: string | null;
  read?: string | null;
  origin: string;
  payload: {
    title: string;
    description?: string;
    link?: string;
    severity: string;
    topic?: string;
    scope?: string;
  };
}

/** The user's notifications from the openstack plugin, oldest first. */
export async function notificationsOf(
  server: Server,
  user: string,
): Promise<ReadNotification[]> {
  const res = await request(server)
    .get('/api/notifications/notifications')
    .query({ limit: 100 })
    .set('Authorization', as(user));
  if (res.status !== 200)
    throw new Error(`notifications of ${user}: ${res.status} ${res.text}`);
  return (res.body.notifications as ReadNotification[])
    .filter(n => n.origin === 'plugin:openstack')
    .sort((a, b) => a.created.localeCompare(b.created));
}

/** A user's notifications as `scope title` lines: what a test compares. */
export async function noticesOf(server: Server, user: string) {
  return (await notificationsOf(server, user)).map(
    n => `${n.payload.scope} ${n.payload.title}`,
  );
}

/**
 * A catalog group with its members, as the catalog relates them: the notifications backend
 * resolves a group recipient to these users.
 */
export function groupEntity(ref: string, members: string[]): Entity {
  const [, namespaceAndName] = ref.split(':');
  const [namespace, name] = namespaceAndName.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace },
    spec: { type: 'team', children: [] },
    relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
  };
}
