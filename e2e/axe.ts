// axe-core's scan of a page, shared by the browser tests.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: axePath });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: any }).axe;
    // The plugin's content: Backstage's own frame (sidebar, header) is not ours to judge here.
    // nested-interactive: Backstage's Table (material-table) puts its sort buttons inside
    // focusable header cells; that is the shared component's, reported upstream, not ours.
    const result = await axe.run(
      { include: [['main']] },
      { rules: { 'nested-interactive': { enabled: false } } },
    );
    return result.violations;
  })) as AxeViolation[];
  return violations.filter(
    v => v.impact === 'serious' || v.impact === 'critical',
  );
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .map(n => n.target.join(' '))
          .join(', ')}`,
    )
    .join('\n');
}
