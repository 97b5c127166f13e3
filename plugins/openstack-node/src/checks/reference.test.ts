import fs from 'node:fs';
import path from 'node:path';
import { BUILT_IN_CHECKS as CHECKS } from './catalogue';
import {
  CHECKS_REFERENCE_PATH,
  REGENERATE_COMMAND,
  renderChecksReference,
} from './reference';

// plugins/openstack-node/src/checks → the repository's root.
const REFERENCE_FILE = path.resolve(
  __dirname,
  '../../../..',
  CHECKS_REFERENCE_PATH,
);

describe('checks reference (docs/checks.md)', () => {
  it('every check of the catalogue says what it reads and its rule', () => {
    const undocumented = CHECKS.flatMap(({ metadata }) => [
      ...(metadata.reads?.trim() ? [] : [`${metadata.id}: reads`]),
      ...(metadata.rule?.trim() ? [] : [`${metadata.id}: rule`]),
    ]);
    expect(undocumented).toEqual([]);
  });

  it('is current with the checks’ metadata', () => {
    const rendered = renderChecksReference();
    if (process.env.FEDSTACK_UPDATE_DOCS === '1') {
      fs.writeFileSync(REFERENCE_FILE, rendered);
      return;
    }
    const committed = fs.existsSync(REFERENCE_FILE)
      ? fs.readFileSync(REFERENCE_FILE, 'utf8')
      : undefined;
    if (committed !== rendered) {
      throw new Error(
        `${CHECKS_REFERENCE_PATH} is ${
          committed === undefined ? 'missing' : 'out of date'
        }: it is generated from the checks' metadata. Regenerate it from the repository's root with\n\n  ${REGENERATE_COMMAND}\n\nand commit it.`,
      );
    }
    expect(committed).toBe(rendered);
  });
});
