import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { exampleTenant } from './testTenants';
import { TenantTable } from './TenantTable';

describe('TenantTable', () => {
  it('keeps words whole in every cell and makes only the project column bold', async () => {
    const tenant = exampleTenant();
    await renderInTestApp(
      <TenantTable title="Tenants" tenants={[tenant]} linkTo={t => t.id} />,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    const project = screen.getByRole('link', { name: tenant.project });
    const projectCell = project.closest('td')!;
    const keystoneCell = screen.getByText(tenant.projectName).closest('td')!;
    // Backstage's theme breaks table text anywhere; on a phone that split names mid-word.
    for (const cell of [projectCell, keystoneCell]) {
      expect(cell.style.wordBreak).toBe('normal');
    }
    const bold = projectCell.style.fontWeight;
    expect(bold).toMatch(/^(bold|[6-9]00)$/);
    // Backstage's Table writes the highlight's bold into the column's style object: a shared
    // one made every column bold.
    expect(keystoneCell.style.fontWeight).not.toBe(bold);
  });
});
