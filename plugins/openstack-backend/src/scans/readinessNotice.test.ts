import { ProfileScore } from '@fedstack/plugin-openstack-common';
import { notifyReadinessLost, readinessLost } from './readinessNotice';

const score = (
  profileId: ProfileScore['profileId'],
  ready: boolean,
  blocking: string[] = [],
  notEvaluated: ProfileScore['notEvaluated'] = [],
): ProfileScore => ({
  profileId,
  readiness: ready ? 'ready' : 'not-ready',
  ready,
  blocking,
  notEvaluated,
  score: ready ? 100 : 50,
  counts: { pass: 1, warn: 0, fail: ready ? 0 : 1, error: 0, skip: 0 },
});

describe('readiness notices', () => {
  it('finds only profiles that went from ready to not ready', () => {
    expect(
      readinessLost(
        [score('egi-fedcloud', true), score('tenant-platform', false)],
        [
          score('egi-fedcloud', false, ['keystone.v3']),
          score('tenant-platform', false, ['accounts.replicator']),
        ],
      ).map(p => p.profileId),
    ).toEqual(['egi-fedcloud']);
    // A first scan has nothing to lose.
    expect(readinessLost(undefined, [score('egi-fedcloud', false)])).toEqual(
      [],
    );
  });

  it('tells the site’s owners what blocks it, with a link to the scorecard', async () => {
    const send = jest.fn();
    await notifyReadinessLost({ send }, 'resource:default/site-a', [
      score('egi-fedcloud', false, ['keystone.v3', 'federation.idp']),
    ]);
    expect(send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: 'resource:default/site-a' },
      payload: expect.objectContaining({
        title: 'OpenStack site site-a is no longer ready for egi-fedcloud',
        description: 'Blocking: keystone.v3, federation.idp',
        link: '/catalog/default/resource/site-a/openstack',
      }),
    });
    await notifyReadinessLost({ send }, 'resource:default/site-a', []);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('says which required checks were not evaluated', async () => {
    const send = jest.fn();
    await notifyReadinessLost({ send }, 'resource:default/site-a', [
      {
        ...score(
          'egi-fedcloud',
          false,
          [],
          [
            {
              checkId: 'accounting.fresh',
              severity: 'major',
              reason: 'No accounting source is configured for this scan',
              blocksReadiness: true,
            },
            {
              checkId: 'registration.info',
              severity: 'minor',
              reason: 'The site declares no GOCDB name',
              blocksReadiness: false,
            },
          ],
        ),
        readiness: 'not-evaluated',
      },
    ]);
    expect(send.mock.calls[0][0].payload.description).toBe(
      'Not evaluated: accounting.fresh (No accounting source is configured for this scan)',
    );
  });
});
