import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { CheckResultSummary } from '@fedstack/plugin-openstack-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { openstackApiRef } from '../../api';
import { CheckList } from './CheckList';

function result(
  checkId: string,
  status: CheckResultSummary['status'],
): CheckResultSummary {
  return {
    checkId,
    title: `Check ${checkId}`,
    area: 'identity',
    severity: 'critical',
    status,
    message: `${checkId} is ${status}`,
    remediation: '',
    docsUrl: 'https://docs.egi.eu/',
    startedAt: '2026-12-06T12:00:00Z',
    durationMs: 12,
    evidence: [],
  } as CheckResultSummary;
}

describe('CheckList', () => {
  it('colours the critical chip only on a critical check that did not pass', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[openstackApiRef, {} as any]]}>
        <CheckList
          scanId="scan-1"
          results={[
            result('keystone.v3', 'pass'),
            result('keystone.catalog', 'fail'),
          ]}
        />
      </TestApiProvider>,
    );
    const chipOf = (checkId: string) =>
      within(
        screen.getByText(
          `${checkId} is ${checkId === 'keystone.v3' ? 'pass' : 'fail'}`,
        ).parentElement as HTMLElement,
      )
        .getByText('critical')
        .closest('.MuiChip-root') as HTMLElement;
    expect(chipOf('keystone.v3').className).not.toMatch(/Secondary/);
    expect(chipOf('keystone.catalog').className).toMatch(/Secondary/);
  });

  it('shows only what did not pass on demand, and expands or collapses every row', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[openstackApiRef, {} as any]]}>
        <CheckList
          scanId="scan-1"
          results={[
            result('keystone.v3', 'pass'),
            result('keystone.catalog', 'fail'),
            result('keystone.tls', 'warn'),
          ]}
        />
      </TestApiProvider>,
    );
    await userEvent.click(screen.getByLabelText('Only what did not pass'));
    expect(screen.queryByText('keystone.v3 is pass')).not.toBeInTheDocument();
    expect(screen.getByText('keystone.catalog is fail')).toBeInTheDocument();
    expect(screen.getByText('keystone.tls is warn')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    // Each shown row opens (the hidden passing one does not).
    expect(
      await screen.findAllByText('This check made no requests.'),
    ).toHaveLength(2);
    expect(
      screen
        .getAllByRole('button', { expanded: true })
        .filter(b => b.id.endsWith('-header')),
    ).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(
      screen
        .queryAllByRole('button', { expanded: true })
        .filter(b => b.id.endsWith('-header')),
    ).toHaveLength(0);
  });
});
