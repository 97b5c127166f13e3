import { Formatted, renderOutput, renderTable, selectColumns } from './table';

describe('console output as cliff prints it', () => {
  const servers = {
    kind: 'list' as const,
    columns: ['ID', 'Name', 'Status', 'Networks', 'RAM'],
    rows: [
      [
        'a1',
        'web',
        'ACTIVE',
        new Formatted('net=10.0.0.3', { net: ['10.0.0.3'] }),
        512,
      ],
      ['b2', 'db: main', 'ERROR', new Formatted('', {}), 4096],
    ],
  };

  it('right-aligns a column whose first value is a number, header too', () => {
    expect(
      renderTable(
        ['Name', 'RAM'],
        [
          ['m1', 512],
          ['m2', 4096],
        ],
        { align: true },
      ),
    ).toEqual([
      '+------+------+',
      '| Name |  RAM |',
      '+------+------+',
      '| m1   |  512 |',
      '| m2   | 4096 |',
      '+------+------+',
    ]);
  });

  it('prints yaml and value as the CLI does (machine-readable values, sorted keys)', () => {
    expect(renderOutput(servers, 'yaml')).toEqual([
      '- ID: a1',
      '  Name: web',
      '  Networks:',
      '    net:',
      '    - 10.0.0.3',
      '  RAM: 512',
      '  Status: ACTIVE',
      '- ID: b2',
      "  Name: 'db: main'",
      '  Networks: {}',
      '  RAM: 4096',
      '  Status: ERROR',
    ]);
    expect(renderOutput(servers, 'value')).toEqual([
      "a1 web ACTIVE {'net': ['10.0.0.3']} 512",
      'b2 db: main ERROR {} 4096',
    ]);
    expect(
      JSON.parse(renderOutput(servers, 'json').join('\n'))[0].Networks,
    ).toEqual({
      net: ['10.0.0.3'],
    });
  });

  it('colours statuses only when asked, and only with its own codes', () => {
    expect(renderOutput(servers, 'table').join('\n')).not.toContain('\x1b');
    const coloured = renderOutput(servers, 'table', { colour: true }).join(
      '\n',
    );
    expect(coloured).toContain('| \x1b[32mACTIVE\x1b[0m |');
    expect(coloured).toContain('| \x1b[31mERROR\x1b[0m  |');
  });

  it('makes a site’s control characters visible instead of passing them to the terminal', () => {
    const hostile = renderOutput(
      {
        kind: 'list',
        columns: ['Name', 'Status'],
        rows: [['\x1b]0;owned\x07x', '\x1b[32mACTIVE']],
      },
      'table',
      { colour: true },
    ).join('\n');
    expect(hostile).toContain('\ufffd]0;owned\ufffdx');
    expect(hostile).toContain('\ufffd[32mACTIVE');
    expect(hostile).not.toContain('\x1b]');
    expect(
      renderOutput({ kind: 'show', fields: [['name', 'a\x1bb']] }, 'value'),
    ).toEqual(['a\ufffdb']);
  });

  it('cuts the widest cells so that no row is wider than the terminal', () => {
    const wide = {
      kind: 'list' as const,
      columns: ['ID', 'Name'],
      rows: [['x'.repeat(60), 'y'.repeat(40)]],
    };
    const lines = renderOutput(wide, 'table', { columns: 50 });
    for (const row of lines.filter(l => /^[+|]/.test(l)))
      expect(row.length).toBeLessThanOrEqual(50);
    expect(lines[3]).toMatch(/^\| x+… \| y+… \|$/);
    expect(lines.at(-1)).toMatch(/^Cut to fit 50 columns/);
    // Wide enough: untouched, and no note.
    expect(renderOutput(wide, 'table', { columns: 200 })).toHaveLength(5);
  });

  it('takes -c in any case and with _ or - for spaces (quotes are refused)', () => {
    const picked = selectColumns(
      { kind: 'list', columns: ['ID', 'Attached to'], rows: [['v1', 'x']] },
      ['attached_to'],
    );
    expect(picked).toEqual({
      ok: true,
      output: { kind: 'list', columns: ['Attached to'], rows: [['x']] },
    });
  });
});
