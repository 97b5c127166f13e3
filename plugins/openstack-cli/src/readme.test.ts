import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '@fedstack/plugin-openstack-node';
import { PACKAGE_DIR } from './__testUtils__/sandbox';

// The README has a section per option of `fedstack --help`: the same options in the same order,
// each ending with the help's variable and default. Written by hand, held to the help here.

interface Option {
  synopsis: string;
  /** `Env: X. Default: Y.`, as the help ends the option's text. */
  trailer: string;
}

const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

async function helpOptions(): Promise<Option[]> {
  let help = '';
  await runCli(['--help'], {
    stdout: { write: (t: string) => (help += t) },
    stderr: { write: () => undefined },
    env: {},
  });
  const options = help.slice(
    help.indexOf('\nOPTIONS\n') + '\nOPTIONS\n'.length,
    help.indexOf('\nENVIRONMENT\n'),
  );
  return options
    .replace(/\n+$/, '')
    .split('\n\n')
    .map(entry => {
      const [first, ...rest] = entry.split('\n');
      const trailer = /Env: .+?\. Default: .+\.$/.exec(squeeze(rest.join(' ')));
      if (!/^ {7}-/.test(first) || !trailer) {
        throw new Error(`not an option entry of the help: ${entry}`);
      }
      return { synopsis: first.trim(), trailer: trailer[0] };
    });
}

function readmeOptions(readme: string): Option[] {
  const start = readme.indexOf('\n## Options\n');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('README.md has no ## Options');
  return readme
    .slice(start, end)
    .split('\n### ')
    .slice(1)
    .map(section => {
      const [heading, ...body] = section.split('\n');
      return {
        synopsis: heading.replace(/^`(.*)`$/, '$1'),
        // Markdown's code spans dropped: `OS_CLOUD` reads OS_CLOUD.
        trailer: squeeze(body.join('\n').replace(/`/g, '')),
      };
    });
}

it('has a section per option of --help, in its order, with its variable and default', async () => {
  const help = await helpOptions();
  const readme = readmeOptions(
    fs.readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8'),
  );
  expect(help.length).toBeGreaterThan(25);
  expect(readme.map(o => o.synopsis)).toEqual(help.map(o => o.synopsis));
  for (const [i, option] of help.entries()) {
    expect({ option: option.synopsis, text: readme[i].trailer }).toEqual({
      option: option.synopsis,
      text: expect.stringContaining(option.trailer),
    });
  }
});
