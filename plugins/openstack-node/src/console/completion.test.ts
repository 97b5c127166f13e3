import {
  COMMAND_COLUMNS,
  COMMANDS,
  consoleGrammar,
  typedColumn,
} from './commands';
import { selectColumns } from './table';

// The grammar the backend serves for the browser's Tab (GET /console/commands): `-c` completes
// the command's columns, typed as the parser takes them (no quotes, so `_` for a space).
describe('the console grammar completes -c with the command’s columns', () => {
  const grammar = consoleGrammar();
  const columnOption = (words: string) =>
    grammar
      .find(c => c.words.join(' ') === words)
      ?.options.find(o => o.name === 'column');

  it('serves each list’s columns as the values of -c', () => {
    expect(columnOption('server list')).toEqual({
      name: 'column',
      short: 'c',
      metavar: 'COLUMN',
      repeatable: true,
      values: ['ID', 'Name', 'Status', 'Networks', 'Image', 'Flavor'],
    });
    expect(columnOption('floating ip list')?.values).toEqual([
      'ID',
      'Floating_IP_Address',
      'Fixed_IP_Address',
      'Port',
      'Floating_Network',
      'Project',
    ]);
    // A show of the API's own fields has nothing fixed to complete.
    expect(columnOption('server show')).not.toHaveProperty('values');
    // `help` takes no -c at all.
    expect(columnOption('help')).toBeUndefined();
  });

  it('names only commands that take -c, and -c takes every candidate as the column it is', () => {
    for (const [words, columns] of Object.entries(COMMAND_COLUMNS)) {
      const command = COMMANDS.find(c => c.words.join(' ') === words);
      expect([words, command?.options.some(o => o.name === 'column')]).toEqual([
        words,
        true,
      ]);
      const output = { kind: 'list' as const, columns: [...columns], rows: [] };
      for (const column of columns) {
        const selected = selectColumns(output, [typedColumn(column)]);
        expect(selected).toEqual({
          ok: true,
          output: { kind: 'list', columns: [column], rows: [] },
        });
      }
    }
  });
});
