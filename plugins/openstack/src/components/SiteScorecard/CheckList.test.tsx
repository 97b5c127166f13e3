import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { CheckResultSummary } from '@fedstack/plugin-openstack-common';
import { screen, within } from '@testing-library/react';
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
});
