'use strict';
// The loopback Check-in stand-in: issuer, clients and test accounts (oidc-provider, federation
// scripts and federated-login share them).
const crypto = require('crypto');
const { ISSUER, entitlement } = require('./site');

const OIDC = {
  issuer: ISSUER,
  url: 'https://127.0.0.1:8443', // self-signed: $SBX/oidc/tls.crt
  keystoneClientId: 'keystone-site-a', // Apache's client for token introspection
  defaultKeystoneSecret: 'keystone-oidc-secret',
  testClientId: 'fedstack-tests', // what tests use to get access tokens
  defaultTestSecret: 'tests-oidc-secret',
  // The monitoring probe's confidential client (ARGO's probes: refresh token or client
  // credentials); its client-credentials tokens act for a service account in the ops VO.
  probeClientId: 'ops-monitoring',
  defaultProbeSecret: 'probe-oidc-secret',
  // The portal's confidential client (Backstage's OIDC auth provider: authorization code with
  // PKCE, S256 required), allowed back only to the demo backend's callback and to the production
  // portal's test (scripts/test-production.sh, port 7207).
  portalClientId: 'fedstack-portal',
  defaultPortalSecret: 'portal-oidc-secret',
  portalRedirectUris: [
    'http://localhost:7007/api/auth/oidc/handler/frame',
    'http://127.0.0.1:7007/api/auth/oidc/handler/frame',
    'http://localhost:7207/api/auth/oidc/handler/frame',
    'http://127.0.0.1:7207/api/auth/oidc/handler/frame',
  ],
  defaultPassword: 'oidc-secret',
  federationUrl: 'http://127.0.0.1:5080/v3', // Apache in front of site-a's Keystone
};

// Subjects look like Check-in's: <opaque hex>@egi.eu.
const sub = name =>
  `${crypto
    .createHash('sha256')
    .update(`fedstack-oidc-${name}`)
    .digest('hex')
    .slice(0, 32)}@egi.eu`;

function oidcAccounts(env) {
  const password = env.FEDSTACK_SANDBOX_OIDC_PASSWORD || OIDC.defaultPassword;
  return [
    {
      username: 'ops-tester',
      name: 'Ops Monitoring Tester',
      entitlements: [
        entitlement('ops'),
        'urn:mace:egi.eu:group:ops:role=member#aai.egi.eu',
      ],
    },
    {
      username: 'access-tester',
      name: 'Access VO Tester',
      entitlements: [entitlement('vo.access.egi.eu')],
    },
    {
      username: 'novo-tester',
      name: 'No VO Tester',
      entitlements: ['urn:mace:egi.eu:group:other.vo:role=member#aai.egi.eu'],
    },
    // The portal's sign-in (e2e/signin.test.ts): a member of platform-team, the group that owns
    // site-a and site-b in catalog-info.yaml, and a member of the access VO's workspace only.
    {
      username: 'site-operator',
      name: 'Site Operator',
      entitlements: [
        'urn:mace:egi.eu:group:platform-team:role=member#aai.egi.eu',
        'urn:mace:egi.eu:group:ops:role=member#aai.egi.eu',
      ],
    },
    {
      username: 'vo-member',
      name: 'VO Member',
      entitlements: [
        'urn:mace:egi.eu:group:vo.access.egi.eu:role=member#aai.egi.eu',
      ],
    },
  ].map(a => ({
    ...a,
    password,
    sub: sub(a.username),
    email: `${a.username}@example.org`,
  }));
}

// The probe client's service account: what its client-credentials tokens carry.
const probeServiceAccount = () => ({
  sub: sub(OIDC.probeClientId),
  name: 'EGI ops monitoring (service account)',
  entitlements: [entitlement('ops')],
});

module.exports = { OIDC, oidcAccounts, probeServiceAccount };
