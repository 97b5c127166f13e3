import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SidebarPage, Sidebar } from '@backstage/core-components';
import { screen } from '@testing-library/react';
import { SidebarLogo } from './SidebarLogo';

describe('SidebarLogo', () => {
  it("names the portal as its sign-in page does, not Backstage's logo", async () => {
    await renderInTestApp(
      <SidebarPage>
        <Sidebar>
          <SidebarLogo />
        </Sidebar>
      </SidebarPage>,
    );
    const home = screen.getByRole('link', { name: 'Home' });
    expect(home).toHaveTextContent('fedstack');
    expect(home.querySelector('svg[viewBox="0 0 2079.95 456.05"]')).toBeNull();
  });
});
