// Applies a package README's adoption recipe to an app: the README is the test's script.
//
// A fenced block preceded by an `<!-- adoption: ACTION -->` comment is applied, in order:
//   run                      a bash block, run in the app's root
//   insert FILE before TEXT  the block is inserted before the line holding TEXT in FILE
//   remove FILE              the block's text is removed from FILE (it must be there)
//   config NAME              the block is written to app-config.NAME.yaml (the runner loads it)
//   entities                 the block is appended to openstack-sites.yaml (a catalog location)
// `example.org` URLs in config and entity blocks stay as written; the runner points them at the
// sandbox through the environment variables the blocks name.
//
// Usage: node e2e/adoption/applyReadme.mjs <app dir> <README.md>…
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const [appDir, ...readmes] = process.argv.slice(2);
const STEP = /<!-- adoption: (.+?) -->\s*\n```[a-z]*\n([\s\S]*?)```/g;
const normalize = text => text.replace(/\s+/g, ' ').trim();

for (const readme of readmes) {
  const source = readFileSync(readme, 'utf8');
  const steps = [...source.matchAll(STEP)];
  if (steps.length === 0) {
    throw new Error(`${readme}: no <!-- adoption: … --> steps`);
  }
  const from = basename(dirname(readme));
  for (const [, action, block] of steps) {
    console.log(`[${from}] ${action}`);
    const [verb, ...args] = action.split(' ');
    if (verb === 'run') {
      execFileSync('bash', ['-euo', 'pipefail', '-c', block], {
        cwd: appDir,
        stdio: 'inherit',
      });
    } else if (verb === 'insert' && args[1] === 'before') {
      const file = join(appDir, args[0]);
      const anchor = args.slice(2).join(' ');
      const lines = readFileSync(file, 'utf8').split('\n');
      const at = lines.findIndex(line => line.includes(anchor));
      if (at < 0) throw new Error(`${args[0]}: no line with "${anchor}"`);
      lines.splice(at, 0, ...block.replace(/\n$/, '').split('\n'));
      writeFileSync(file, lines.join('\n'));
    } else if (verb === 'remove') {
      const file = join(appDir, args[0]);
      const text = readFileSync(file, 'utf8');
      // Found by its words, whatever the formatting the app's prettier gave it.
      const wanted = normalize(block);
      const lines = text.split('\n');
      let removed = false;
      for (let start = 0; start < lines.length && !removed; start++) {
        for (let end = start + 1; end <= lines.length; end++) {
          const candidate = normalize(lines.slice(start, end).join('\n'));
          if (candidate === wanted) {
            lines.splice(start, end - start);
            removed = true;
            break;
          }
          if (!wanted.startsWith(candidate)) break;
        }
      }
      if (!removed) throw new Error(`${args[0]}: does not hold ${wanted}`);
      writeFileSync(file, lines.join('\n'));
    } else if (verb === 'config') {
      writeFileSync(join(appDir, `app-config.${args[0]}.yaml`), block);
    } else if (verb === 'entities') {
      appendFileSync(join(appDir, 'openstack-sites.yaml'), `---\n${block}`);
    } else {
      throw new Error(`${readme}: unknown adoption step "${action}"`);
    }
  }
}
