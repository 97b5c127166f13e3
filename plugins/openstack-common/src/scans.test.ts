import { CheckResult, summarizeCheckResult, withoutUserNames } from './scans';

const result: CheckResult = {
  checkId: 'federation.users',
  title: 'Federated user names carry the issuer suffix',
  area: 'federation',
  severity: 'minor',
  status: 'warn',
  message: '1 of 2 federated users have names without @egi.eu',
  details: { users: 2, unexpectedNames: ['alice.local'] },
  remediation: 'Remove users created by hand.',
  docsUrl: 'https://docs.egi.eu/',
  startedAt: '2026-11-23T10:00:00.000Z',
  durationMs: 3,
  evidence: [],
};

describe('summarizeCheckResult', () => {
  it('leaves out the details that name people, and says which', () => {
    const summary = summarizeCheckResult(result, ['unexpectedNames']);
    expect(summary.details).toEqual({ users: 2 });
    expect(summary.withheldDetails).toEqual(['unexpectedNames']);
    expect(JSON.stringify(summary)).not.toContain('alice.local');
  });

  it("keeps every detail of a check that names no one, and all of an unknown check's out", () => {
    const open = summarizeCheckResult(result, []);
    expect(open.details).toEqual(result.details);
    expect(open).not.toHaveProperty('withheldDetails');
    const unknown = summarizeCheckResult(result, 'all');
    expect(unknown).not.toHaveProperty('details');
    expect(unknown.withheldDetails).toEqual(['users', 'unexpectedNames']);
  });
});

describe('withoutUserNames', () => {
  it.each([
    [
      'https://k.example/v3/users?name=accounting&domain_id=default',
      'https://k.example/v3/users?name=<withheld>&domain_id=default',
    ],
    [
      'https://k.example/v3/role_assignments?user.id=0f3a&include_names',
      'https://k.example/v3/role_assignments?user.id=<withheld>&include_names',
    ],
    [
      'https://k.example/v3/groups/g1/users/0f3a',
      'https://k.example/v3/groups/g1/users/<withheld>',
    ],
    [
      'https://k.example/v3/projects/p1/users/0f3a/roles/r1',
      'https://k.example/v3/projects/p1/users/<withheld>/roles/r1',
    ],
    // A project's name is not a person's: kept.
    [
      'https://k.example/v3/projects?name=ops',
      'https://k.example/v3/projects?name=ops',
    ],
    [
      'https://k.example/v3/users?domain_id=fed',
      'https://k.example/v3/users?domain_id=fed',
    ],
  ])('%s', (url, summarized) => {
    expect(withoutUserNames(url)).toBe(summarized);
  });
});
