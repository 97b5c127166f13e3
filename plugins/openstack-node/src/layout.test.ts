import fs from 'node:fs';
import path from 'node:path';

/*
 * The package's shape (see the README's "Areas and their public API"): one folder per area,
 * each with an index.ts; the root index re-exports those indexes only; no import cycle between
 * files, nor between areas (an area may use another's files, never in both directions).
 */
const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)
      ? [full]
      : [];
  });
}

/** The files a file imports or re-exports by relative path (type-only imports count). */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*)'(\.{1,2}\/[^']*)'/g),
  ].flatMap(([, specifier]) => {
    const base = path.resolve(path.dirname(file), specifier);
    const found = [`${base}.ts`, path.join(base, 'index.ts')].find(candidate =>
      fs.existsSync(candidate),
    );
    return found ? [found] : [];
  });
}

const areaOf = (file: string) => path.relative(SRC, file).split(path.sep)[0];

/** Every cycle's members, as paths under src (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the package layout', () => {
  const files = sourceFiles(SRC);
  const imports = new Map(files.map(file => [file, relativeImports(file)]));

  it('has no import cycle between files', () => {
    const named = new Map(
      [...imports].map(([file, to]) => [
        path.relative(SRC, file),
        to.map(t => path.relative(SRC, t)),
      ]),
    );
    expect(cycles(named)).toEqual([]);
  });

  it('has no import cycle between areas', () => {
    const areas = new Map<string, string[]>();
    for (const [file, to] of imports) {
      if (path.dirname(file) === SRC) continue; // the root index
      const from = areaOf(file);
      const targets = to.map(areaOf).filter(area => area !== from);
      areas.set(from, [...new Set([...(areas.get(from) ?? []), ...targets])]);
    }
    expect(cycles(areas)).toEqual([]);
  });

  it('gives every area an index.ts, and the root index re-exports those only', () => {
    const areas = fs
      .readdirSync(SRC, { withFileTypes: true })
      .filter(entry => entry.isDirectory())
      .map(entry => entry.name);
    for (const area of areas) {
      expect(fs.existsSync(path.join(SRC, area, 'index.ts'))).toBe(true);
    }
    expect(
      fs
        .readdirSync(SRC)
        .filter(name => /\.ts$/.test(name) && !/\.test\.ts$/.test(name)),
    ).toEqual(['index.ts']);
    const root = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8');
    const exported = [...root.matchAll(/^export \* from '\.\/(\w+)';$/gm)].map(
      ([, area]) => area,
    );
    // testing/ is the separate `./testUtils` entry point.
    expect([...exported].sort()).toEqual(
      areas.filter(a => a !== 'testing').sort(),
    );
    const statements = root
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .split('\n')
      .map(line => line.trim())
      .filter(line => line !== '' && !line.startsWith('//'));
    expect(statements).toEqual(
      exported.map(area => `export * from './${area}';`),
    );
  });
});
