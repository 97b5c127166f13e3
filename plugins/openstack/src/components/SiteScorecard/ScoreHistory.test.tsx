import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { exampleProfileScore, exampleScan } from '../../testScans';
import { ScoreHistory } from './ScoreHistory';

describe('ScoreHistory', () => {
  it('shows the history from the first scan', async () => {
    await renderInTestApp(
      <ScoreHistory history={[exampleScan()]} profileIds={['egi-fedcloud']} />,
    );
    expect(
      screen.getByText(/Score history \(1 scan since/),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Recent scans' })).getAllByRole(
        'row',
      ),
    ).toHaveLength(2);
  });

  it('dates each scan, says what it changed, newest first, and dates each point on hover', async () => {
    const history = [
      exampleScan({
        id: 'scan-1',
        finishedAt: '2026-11-21T09:00:05.000Z',
        trigger: 'schedule',
        profiles: [exampleProfileScore({ score: 100 })],
      }),
      exampleScan({
        id: 'scan-2',
        finishedAt: '2026-11-23T10:00:05.000Z',
        profiles: [exampleProfileScore({ score: 75 })],
        changes: [{ checkId: 'keystone.tls', from: 'pass', to: 'fail' }],
      }),
    ];
    await renderInTestApp(
      <ScoreHistory history={history} profileIds={['egi-fedcloud']} />,
    );
    const rows = within(
      screen.getByRole('table', { name: 'Recent scans' }),
    ).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('23 Nov 2026');
    expect(rows[1]).toHaveTextContent('(on demand)');
    expect(rows[1]).toHaveTextContent('75%');
    expect(rows[1]).toHaveTextContent('1 changed: keystone.tls pass→fail');
    expect(rows[2]).toHaveTextContent('21 Nov 2026');
    expect(rows[2]).toHaveTextContent('(scheduled)');
    expect(rows[2]).toHaveTextContent('nothing changed');

    const sparkline = screen.getByRole('img', {
      name: 'egi-fedcloud score over 2 scans: from 100% to 75%',
    });
    const titles = [...sparkline.querySelectorAll('title')].map(
      t => t.textContent,
    );
    expect(titles).toEqual([
      expect.stringMatching(/^100% on 21 Nov 2026/),
      expect.stringMatching(/^75% on 23 Nov 2026/),
    ]);
  });
});
