import { listAuthProjects } from '../../client/identity/projects';
import {
  createFederatedToken,
  createToken,
  tokenAuthBody,
} from '../../client/identity/tokens';
import { ServiceClient } from '../../client/service';
import { Check } from '../types';
import { ScanContext } from '../context';
import { fail, listed, pass, skip } from '../outcomes';

/**
 * End to end, as EGI's monitoring logs in: a test account's OIDC access token buys an unscoped
 * federated token, which lists the projects it may use and is scoped to the ops project.
 */
export const federationLogin: Check<ScanContext> = {
  metadata: {
    id: 'federation.login',
    title: 'Federated login with an OIDC access token',
    area: 'federation',
    severity: 'major',
    reads:
      "An OIDC access token from the configured test token source, exchanged at the federation auth URL (`/v3/OS-FEDERATION/identity_providers/<idp>/protocols/openid/auth`) for an unscoped token, then `GET /v3/auth/projects` and `POST /v3/auth/tokens` scoped to the test project (ops), as EGI's monitoring logs in.",
    rule: 'Skipped when no test token source is configured; errors when the source gives no access token; fails at the step that breaks (access token refused, project list refused or without the test project, scoped token refused or for another project); passes when Keystone issues a token scoped to the test project.',
    remediation:
      'Follow the step named in the message: the federation auth URL must accept a Check-in access token (Apache mod_auth_openidc: `AuthType oauth20` on `/v3/OS-FEDERATION/identity_providers/egi.eu/protocols/openid/auth`, with `OIDCOAuthIntrospectionEndpoint` or `OIDCOAuthVerifyJwksUri` set for Check-in); the mapping must put the test account in a group with a role on the ops project (`openstack role add --group <ops group> --project ops member`).',
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/openstack/aai/',
    // Not federation.protocol: without a test token source this check does not apply, and a
    // prerequisite's failure would turn that `skip` into an `error`.
    requires: ['keystone.v3'],
  },
  async run({ sessions, settings, sources, recorder }) {
    const login = sources.federationLogin;
    if (!login) {
      return skip(
        sources.federationLoginWithheld ??
          'Skipped: no test token source is configured for the federated login',
      );
    }
    const identity = sessions.reader.identity.client;
    const http = identity.http;
    const { identityProvider, protocol } = settings;

    let accessToken: string;
    try {
      accessToken = await login.accessToken(recorder);
    } catch (error) {
      return {
        status: 'error',
        message: `Step 1 of 4 (access token): the test token source gave no access token: ${
          error instanceof Error ? error.message : String(error)
        }`,
      };
    }
    // Redacted from here on, wherever it would show up.
    http.addSecrets(accessToken);

    const authPath = `/v3/OS-FEDERATION/identity_providers/${identityProvider}/protocols/${protocol}/auth`;
    const unscoped = await createFederatedToken(identity, {
      identityProvider,
      protocol,
      accessToken,
      authUrl: login.authUrl,
    });
    if (!unscoped.ok) {
      return fail(
        `Step 2 of 4 (unscoped token): ${
          login.authUrl
            ? `the federation auth URL ${login.authUrl}`
            : 'Keystone'
        } refused the access token at ${authPath}: ${unscoped.error.message}`,
        { authUrl: login.authUrl },
      );
    }
    const user = unscoped.data.user;
    const userDetails = {
      user: user.name,
      userId: user.id,
      domain: user.domain.name ?? user.domain.id,
      groups: (
        (
          user['OS-FEDERATION'] as
            | { groups?: Array<{ id: string }> }
            | undefined
        )?.groups ?? []
      ).map(group => group.id),
    };

    // The unscoped token asks Keystone itself (the auth URL may be a proxy for the login only).
    const asUser = new ServiceClient({
      http,
      serviceType: 'identity',
      endpoint: () => identity.endpoint(),
      token: async () => ({ ok: true, value: unscoped.data.id }),
      recorder,
    });
    const projects = await listAuthProjects(asUser);
    if (!projects.ok) {
      return fail(
        `Step 3 of 4 (project list): Keystone did not list the projects of federated user ${user.name}: ${projects.error.message}`,
        userDetails,
      );
    }
    const names = projects.data.map(project => project.name);
    const target = projects.data.find(
      project => project.name === login.project,
    );
    if (!target) {
      return fail(
        `Step 3 of 4 (project list): federated user ${
          user.name
        } may not use project ${login.project} (it may use ${
          names.length > 0 ? listed(names) : 'no project'
        })`,
        { ...userDetails, projects: names },
      );
    }

    const scoped = await createToken(
      identity,
      tokenAuthBody(unscoped.data.id, { project: { id: target.id } }),
    );
    if (!scoped.ok) {
      return fail(
        `Step 4 of 4 (scoped token): Keystone refused to scope federated user ${user.name}'s token to project ${login.project}: ${scoped.error.message}`,
        { ...userDetails, projects: names },
      );
    }
    if (scoped.data.project?.id !== target.id) {
      return fail(
        `Step 4 of 4 (scoped token): Keystone answered with a token for ${
          scoped.data.project
            ? `project ${scoped.data.project.name}`
            : 'no project'
        } instead of ${login.project}`,
        { ...userDetails, projects: names },
      );
    }
    return pass(
      `Federated user ${
        user.name
      } logged in through ${identityProvider}/${protocol}, may use ${listed(
        names,
      )} and got a token for project ${login.project} with role(s) ${
        scoped.data.roles.map(role => role.name).join(', ') || '(none)'
      }`,
      {
        ...userDetails,
        projects: names,
        roles: scoped.data.roles.map(role => role.name),
      },
    );
  },
};
