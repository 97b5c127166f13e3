import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { exampleUsage } from '../TenantsPage/testTenants';
import { UsageChart } from './UsageChart';

describe('UsageChart', () => {
  it('counts one sample as one, not "1 samples"', async () => {
    const usage = exampleUsage();
    await renderInTestApp(
      <UsageChart samples={usage.samples.slice(0, 1)} usage={usage.usage} />,
    );
    expect(screen.getByText(/^1 sample from/)).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'vCPUs: 1 sample between 2 and 2, latest 2',
      }),
    ).toBeInTheDocument();
  });

  it('dates each sample on hover and names the period under each chart', async () => {
    const usage = exampleUsage();
    await renderInTestApp(
      <UsageChart samples={usage.samples} usage={usage.usage} />,
    );
    const chart = screen.getByRole('img', {
      name: 'vCPUs: 3 samples between 2 and 6, latest 6',
    });
    const titles = [...chart.querySelectorAll('circle > title')].map(
      t => t.textContent,
    );
    expect(titles).toHaveLength(3);
    expect(titles[0]).toMatch(/^2 at /);
    expect(titles[2]).toMatch(/^6 at /);
    const axis = chart.nextElementSibling as HTMLElement;
    expect(axis).toHaveTextContent('0 – 6');
    expect(axis.textContent).toMatch(/Nov/);
  });
});
