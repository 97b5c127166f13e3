import './jsdomShims';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import { ResponseError } from '@backstage/errors';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenStackConsoleApi, openstackConsoleApiRef } from '../../api';
import { exampleSiteEntities } from '../../testSites';
import {
  consoleRefusal,
  printable,
  SiteConsole,
  withoutColours,
} from './SiteConsole';

// The grammar as the backend serves it (GET /console/commands), a few commands of it.
const GRAMMAR = {
  commands: [
    {
      words: ['server', 'list'],
      positionals: [],
      options: [
        { name: 'all-projects' },
        {
          name: 'format',
          short: 'f',
          metavar: 'FORMAT',
          values: ['table', 'json', 'yaml', 'value'],
        },
        // The backend serves a command's columns as -c's values (COMMAND_COLUMNS).
        {
          name: 'column',
          short: 'c',
          metavar: 'COLUMN',
          repeatable: true,
          values: ['ID', 'Name', 'Status', 'Networks', 'Image', 'Flavor'],
        },
      ],
      summary: 'Servers.',
    },
    {
      words: ['server', 'show'],
      positionals: ['SERVER'],
      options: [],
      summary: 'One server.',
    },
    { words: ['help'], positionals: [], options: [], summary: 'This list.' },
  ],
};

async function renderConsoleAs(
  api: Partial<OpenStackConsoleApi> &
    Pick<OpenStackConsoleApi, 'runConsoleLine'>,
  allowed: boolean,
) {
  const authorize = jest.fn(() =>
    allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
  );
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          openstackConsoleApiRef,
          {
            getConsoleCommands: async () => GRAMMAR,
            // As the backend names the demo's reader.
            getConsoleAccount: async () => ({
              account: 'admin (project admin)',
            }),
            ...api,
          },
        ],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      {/* usePermission caches decisions in SWR's global cache: one per test. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={exampleSiteEntities[0]}>
          <SiteConsole />
          <button type="button">after the console</button>
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
  return authorize;
}

/** The console of a user who may use it: its terminal's input, once the decision has come. */
async function renderConsole(
  api: Partial<OpenStackConsoleApi> &
    Pick<OpenStackConsoleApi, 'runConsoleLine'>,
) {
  await renderConsoleAs(api, true);
  return waitFor(() => {
    const input = document.querySelector('textarea.xterm-helper-textarea');
    if (!input) throw new Error('xterm did not open');
    return input as HTMLTextAreaElement;
  });
}

const tab = (input: HTMLTextAreaElement, shiftKey = false) =>
  fireEvent.keyDown(input, { key: 'Tab', code: 'Tab', keyCode: 9, shiftKey });

describe('SiteConsole', () => {
  it('names the account the commands run with', async () => {
    await renderConsole({ runConsoleLine: jest.fn() });
    expect(
      await screen.findByText(
        'Read-only openstack commands, run as admin (project admin)',
      ),
    ).toBeInTheDocument();
  });

  it('completes commands, options and their values with Tab, from the backend’s grammar', async () => {
    const runConsoleLine = jest.fn<
      ReturnType<OpenStackConsoleApi['runConsoleLine']>,
      Parameters<OpenStackConsoleApi['runConsoleLine']>
    >(async () => ({ type: 'end', status: 'ok' }));
    const input = await renderConsole({ runConsoleLine });
    await waitFor(() => expect(input).toBeInTheDocument());
    await userEvent.type(input, 'ser');
    // The grammar comes asynchronously: Tab until it is there.
    await waitFor(async () => {
      tab(input);
      await userEvent.type(input, '{Enter}');
      expect(runConsoleLine).toHaveBeenCalled();
      expect(runConsoleLine.mock.calls.at(-1)![2]).not.toBe('ser');
    });
    // `server ` then: list and show are both possible, so a second Tab lists them.
    expect(runConsoleLine.mock.calls.at(-1)![2]).toBe('server');
    const log = screen.getByRole('log', { name: 'Console output' });
    await userEvent.type(input, 'server l');
    tab(input);
    await userEvent.type(input, '--a');
    tab(input);
    await userEvent.type(input, '-f j');
    tab(input);
    await userEvent.type(input, '{Enter}');
    await waitFor(() =>
      expect(runConsoleLine.mock.calls.at(-1)![2]).toBe(
        'server list --all-projects -f json',
      ),
    );
    // The terminal says how wide it is and that it shows colours.
    expect(runConsoleLine.mock.calls.at(-1)![5]).toEqual({
      columns: expect.any(Number),
      colour: true,
    });
    expect(log).toHaveTextContent(
      'openstack> server list --all-projects -f json',
    );
  });

  it('completes -c and --column with the command’s columns', async () => {
    const runConsoleLine = jest.fn<
      ReturnType<OpenStackConsoleApi['runConsoleLine']>,
      Parameters<OpenStackConsoleApi['runConsoleLine']>
    >(async () => ({ type: 'end', status: 'ok' }));
    const getConsoleCommands = jest.fn(async () => GRAMMAR);
    const input = await renderConsole({ runConsoleLine, getConsoleCommands });
    // The grammar comes asynchronously: once asked for, let its answer land.
    await waitFor(() => expect(getConsoleCommands).toHaveBeenCalled());
    await act(async () => {});
    await userEvent.type(input, 'server list -c ');
    // Six columns that share no start: Tab lists them and types nothing.
    tab(input);
    await userEvent.type(input, 'St');
    tab(input);
    await userEvent.type(input, '--column Fl');
    tab(input);
    await userEvent.type(input, '-c Im');
    tab(input);
    // `N`: Name and Networks agree no further than `N`, so Tab adds nothing.
    await userEvent.type(input, '-c N');
    tab(input);
    await userEvent.type(input, 'e');
    tab(input);
    await userEvent.type(input, '{Enter}');
    await waitFor(() =>
      expect(runConsoleLine.mock.calls.at(-1)![2]).toBe(
        'server list -c Status --column Flavor -c Image -c Networks',
      ),
    );
  });

  it('keeps Tab for completion, and leaves the terminal on Esc then Tab (WCAG 2.1.2)', async () => {
    const input = await renderConsole({
      runConsoleLine: async () => ({ type: 'end', status: 'ok' }),
    });
    input.focus();
    expect(
      screen.getByText(/Esc, then Tab \(or Shift\+Tab\)/),
    ).toBeInTheDocument();
    // fireEvent answers false when the key's default (moving the focus) was prevented.
    expect(tab(input)).toBe(false);
    expect(tab(input, true)).toBe(false);
    fireEvent.keyDown(input, { key: 'Escape', code: 'Escape', keyCode: 27 });
    expect(
      await screen.findByText('Tab or Shift+Tab now leaves the console.'),
    ).toBeInTheDocument();
    // Now Tab is the browser's: the focus moves on, to the next element.
    expect(tab(input)).toBe(true);
    await userEvent.tab();
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'after the console' }),
    );
    // Back in, Tab completes again; Esc, Shift (held) then Shift+Tab leaves backwards.
    input.focus();
    expect(tab(input)).toBe(false);
    fireEvent.keyDown(input, { key: 'Escape', code: 'Escape', keyCode: 27 });
    fireEvent.keyDown(input, { key: 'Shift', code: 'ShiftLeft', keyCode: 16 });
    expect(tab(input, true)).toBe(true);
    // Any other key in between cancels the Esc.
    fireEvent.keyDown(input, { key: 'Escape', code: 'Escape', keyCode: 27 });
    fireEvent.keyDown(input, { key: 'a', code: 'KeyA', keyCode: 65 });
    expect(tab(input)).toBe(false);
  });

  it('shows the console’s colours and no other escape sequence', () => {
    expect(printable('| \x1b[32mACTIVE\x1b[0m |')).toBe(
      '| \x1b[32mACTIVE\x1b[0m |',
    );
    expect(printable('\x1b]0;title\x07\x1b[2J\x1b[5m')).toBe(
      '\ufffd]0;title\ufffd\ufffd[2J\ufffd[5m',
    );
    expect(withoutColours('\x1b[31mERROR\x1b[0m')).toBe('ERROR');
  });

  it('sends a typed line and writes the streamed output', async () => {
    const runConsoleLine = jest.fn<
      ReturnType<OpenStackConsoleApi['runConsoleLine']>,
      Parameters<OpenStackConsoleApi['runConsoleLine']>
    >(async (_ns, _name, _line, onLine) => {
      onLine('+----+------+');
      onLine('| ID | Name |');
      return { type: 'end', status: 'ok' };
    });
    const input = await renderConsole({ runConsoleLine });
    await userEvent.type(input, 'project list{Enter}');
    await waitFor(() => expect(runConsoleLine).toHaveBeenCalled());
    expect(runConsoleLine.mock.calls[0].slice(0, 3)).toEqual([
      'default',
      exampleSiteEntities[0].metadata.name,
      'project list',
    ]);
    const log = screen.getByRole('log', { name: 'Console output' });
    await waitFor(() => expect(log).toHaveTextContent('| ID | Name |'));
    expect(log).toHaveTextContent('openstack> project list');
  });

  it('recalls the last line with arrow up, and does not send clear', async () => {
    const runConsoleLine = jest.fn<
      ReturnType<OpenStackConsoleApi['runConsoleLine']>,
      Parameters<OpenStackConsoleApi['runConsoleLine']>
    >(async () => ({ type: 'end', status: 'ok' }));
    const input = await renderConsole({ runConsoleLine });
    await userEvent.type(input, 'domain list{Enter}');
    await waitFor(() => expect(runConsoleLine).toHaveBeenCalledTimes(1));
    await userEvent.type(input, 'clear{Enter}');
    // xterm reads keyCode, which user-event does not set for these keys.
    fireEvent.keyDown(input, { key: 'ArrowUp', keyCode: 38 });
    fireEvent.keyDown(input, { key: 'ArrowUp', keyCode: 38 });
    await userEvent.type(input, '{Enter}');
    await waitFor(() => expect(runConsoleLine).toHaveBeenCalledTimes(2));
    // Up twice: past `clear` to `domain list`.
    expect(runConsoleLine.mock.calls.map(call => call[2])).toEqual([
      'domain list',
      'domain list',
    ]);
  });

  it('cancels the running command with Ctrl+C', async () => {
    let signal: AbortSignal | undefined;
    const runConsoleLine = jest.fn<
      ReturnType<OpenStackConsoleApi['runConsoleLine']>,
      Parameters<OpenStackConsoleApi['runConsoleLine']>
    >(
      (_ns, _name, _line, onLine, s) =>
        new Promise(resolve => {
          signal = s;
          onLine('[ 1/21] pass  keystone.reachable: Keystone answers');
          s?.addEventListener('abort', () =>
            resolve({ type: 'end', status: 'cancelled' }),
          );
        }),
    );
    const input = await renderConsole({ runConsoleLine });
    await userEvent.type(input, 'scan{Enter}');
    const log = screen.getByRole('log', { name: 'Console output' });
    await waitFor(() => expect(log).toHaveTextContent('keystone.reachable'));
    expect(signal?.aborted).toBe(false);
    fireEvent.keyDown(input, { key: 'c', keyCode: 67, ctrlKey: true });
    await waitFor(() => expect(signal?.aborted).toBe(true));
    await waitFor(() => expect(log).toHaveTextContent('Cancelled.'));
  });

  it('writes the refusal the backend sends', async () => {
    const refusal =
      'Refused: ";" not allowed. This console is not a shell. Nothing was run.';
    const input = await renderConsole({
      runConsoleLine: async (_ns, _name, _line, onLine) => {
        onLine(refusal);
        return { type: 'end', status: 'refused', message: refusal };
      },
    });
    await userEvent.type(input, 'foo; rm -rf /{Enter}');
    const log = screen.getByRole('log', { name: 'Console output' });
    await waitFor(() => expect(log).toHaveTextContent(refusal));
  });

  it('says so when the user may not use the console', async () => {
    const forbidden = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'You may not' },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ) as any,
    );
    const input = await renderConsole({
      runConsoleLine: async () => {
        throw forbidden;
      },
    });
    await userEvent.type(input, 'project list{Enter}');
    expect(
      await screen.findByText(/No access to this console/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/permission openstack\.console\.use is needed/)
        .length,
    ).toBeGreaterThan(0);
  });

  it('opens the terminal for a user who may use the console of the site', async () => {
    const runConsoleLine = jest.fn();
    const authorize = await renderConsoleAs({ runConsoleLine }, true);
    await waitFor(() =>
      expect(
        document.querySelector('textarea.xterm-helper-textarea'),
      ).toBeInTheDocument(),
    );
    expect(
      screen.queryByText(/No access to this console/),
    ).not.toBeInTheDocument();
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name: 'openstack.console.use' }),
        resourceRef: stringifyEntityRef(exampleSiteEntities[0]),
      }),
    );
  });

  it('shows why, instead of the terminal, to a user who may not use the console', async () => {
    const runConsoleLine = jest.fn();
    await renderConsoleAs({ runConsoleLine }, false);
    expect(
      await screen.findByText(/No access to this console/),
    ).toBeInTheDocument();
    const { namespace = 'default', name } = exampleSiteEntities[0].metadata;
    expect(
      screen.getByText(consoleRefusal(namespace, name)),
    ).toBeInTheDocument();
    expect(
      document.querySelector('textarea.xterm-helper-textarea'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('site-console-terminal'),
    ).not.toBeInTheDocument();
    expect(runConsoleLine).not.toHaveBeenCalled();
  });
});
