import {
  checkinSignInResolver,
  checkinSignInResolvers,
  groupRefsFromEntitlements,
  userRefFromSubject,
} from './module';

const member = (group: string) =>
  `urn:mace:egi.eu:group:${group}:role=member#aai.egi.eu`;

describe('userRefFromSubject', () => {
  it('names the user after the local part of the Check-in subject', () => {
    expect(userRefFromSubject('0a1b2c@egi.eu')).toBe('user:default/0a1b2c');
    expect(userRefFromSubject('0a1b2c@egi.eu', 'egi')).toBe('user:egi/0a1b2c');
  });

  it("cuts Check-in's 64-digit ids to an entity name's 63 characters", () => {
    const id = 'f'.repeat(64);
    expect(userRefFromSubject(`${id}@egi.eu`)).toBe(
      `user:default/${'f'.repeat(63)}`,
    );
  });

  it('refuses a subject that makes no entity name', () => {
    expect(() => userRefFromSubject('a b@egi.eu')).toThrow(/user name/);
    expect(() => userRefFromSubject('@egi.eu')).toThrow(/user name/);
  });
});

describe('groupRefsFromEntitlements', () => {
  it('maps a VO membership to the group of the same name', () => {
    expect(
      groupRefsFromEntitlements([
        member('vo.access.egi.eu'),
        member('Platform-Team'),
      ]),
    ).toEqual([
      'group:default/platform-team',
      'group:default/vo.access.egi.eu',
    ]);
  });

  it('takes an entitlement without a role as a membership', () => {
    expect(
      groupRefsFromEntitlements(['urn:mace:egi.eu:group:ops#aai.egi.eu']),
    ).toEqual(['group:default/ops']);
  });

  it('ignores other roles, authorities, prefixes and non-strings', () => {
    expect(
      groupRefsFromEntitlements([
        'urn:mace:egi.eu:group:ops:role=vm_operator#aai.egi.eu',
        'urn:mace:egi.eu:group:ops:role=member#login.example.org',
        'urn:mace:egi.eu:group:ops:role=member',
        'urn:mace:example.org:group:ops:role=member#aai.egi.eu',
        'urn:mace:egi.eu:group::role=member#aai.egi.eu',
        42,
      ]),
    ).toEqual([]);
  });

  it('maps subgroups only when listed', () => {
    expect(
      groupRefsFromEntitlements([member('vo.access.egi.eu:admins')]),
    ).toEqual([]);
    expect(
      groupRefsFromEntitlements([member('vo.access.egi.eu:admins')], {
        groups: [
          {
            checkinGroup: 'vo.access.egi.eu:admins',
            catalogGroup: 'platform-team',
          },
        ],
      }),
    ).toEqual(['group:default/platform-team']);
  });

  it('uses the listed groups instead of the name, and nothing else with ignore', () => {
    const options = {
      groups: [{ checkinGroup: 'ops', catalogGroup: 'group:egi/operations' }],
      unlistedGroups: 'ignore' as const,
    };
    expect(
      groupRefsFromEntitlements(
        [member('ops'), member('vo.access.egi.eu')],
        options,
      ),
    ).toEqual(['group:egi/operations']);
  });

  it('follows the configured roles, namespace, prefix and authority', () => {
    expect(
      groupRefsFromEntitlements(
        [
          'urn:geant:example.org:group:biomed:role=manager#login.example.org',
          'urn:geant:example.org:group:chem:role=member#login.example.org',
        ],
        {
          entitlementPrefix: 'urn:geant:example.org:group:',
          authority: 'login.example.org',
          roles: ['manager'],
          groupNamespace: 'vos',
        },
      ),
    ).toEqual(['group:vos/biomed']);
  });

  it('skips VO names that make no entity name', () => {
    expect(
      groupRefsFromEntitlements([member('a b'), member('x'.repeat(64))]),
    ).toEqual([]);
  });
});

describe('checkinSignInResolver', () => {
  const sub = '3f2a@egi.eu';
  const info = (entitlements: unknown) => ({
    profile: {},
    result: {
      fullProfile: {
        userinfo: { sub, eduperson_entitlement: entitlements },
        tokenset: {},
      },
      session: {},
    } as any,
  });
  const context = (entity?: object) => ({
    issueToken: jest.fn(async (params: any) => ({ token: 'issued', params })),
    findCatalogUser: jest.fn(async () => {
      if (!entity)
        throw Object.assign(new Error('not found'), { name: 'NotFoundError' });
      return { entity };
    }),
    signInWithCatalogUser: jest.fn(),
    resolveOwnershipEntityRefs: jest.fn(),
  });

  it('issues a token for a user the catalog does not hold, owning through entitlements', async () => {
    const ctx = context();
    await checkinSignInResolver()(
      info([member('platform-team'), member('ops')]),
      ctx as any,
    );
    expect(ctx.findCatalogUser).toHaveBeenCalledWith({
      entityRef: 'user:default/3f2a',
    });
    expect(ctx.issueToken).toHaveBeenCalledWith({
      claims: {
        sub: 'user:default/3f2a',
        ent: [
          'user:default/3f2a',
          'group:default/ops',
          'group:default/platform-team',
        ],
      },
    });
  });

  it("adds the catalog user's own groups when the catalog holds it", async () => {
    const ctx = context({
      relations: [
        { type: 'memberOf', targetRef: 'group:default/guests' },
        { type: 'ownerOf', targetRef: 'component:default/x' },
      ],
    });
    await checkinSignInResolver()(info(undefined), ctx as any);
    expect(ctx.issueToken.mock.calls[0][0].claims.ent).toEqual([
      'user:default/3f2a',
      'group:default/guests',
    ]);
  });

  it('fails when the catalog cannot be asked', async () => {
    const ctx = context();
    ctx.findCatalogUser.mockRejectedValue(new Error('catalog down'));
    await expect(checkinSignInResolver()(info([]), ctx as any)).rejects.toThrow(
      'catalog down',
    );
    expect(ctx.issueToken).not.toHaveBeenCalled();
  });

  it('reads its options from config, and refuses unknown values', () => {
    const { checkinEntitlements } = checkinSignInResolvers;
    expect(typeof checkinEntitlements()).toBe('function');
    expect(typeof checkinEntitlements({ unlistedGroups: 'ignore' })).toBe(
      'function',
    );
    expect(() =>
      checkinEntitlements({ unlistedGroups: 'everything' } as any),
    ).toThrow();
  });
});
