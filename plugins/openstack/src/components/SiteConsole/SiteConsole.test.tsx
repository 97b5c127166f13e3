import './jsdomShims';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenStackConsoleApi, openstackConsoleApiRef } from '../../api';
import { exampleSiteEntities } from '../../testSites';
import { SiteConsole } from './SiteConsole';

async function renderConsole(api: OpenStackConsoleApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[openstackConsoleApiRef, api]]}>
      <EntityProvider entity={exampleSiteEntities[0]}>
        <SiteConsole />
      </EntityProvider>
    </TestApiProvider>,
  );
  const input = document.querySelector('textarea.xterm-helper-textarea');
  if (!input) throw new Error('xterm did not open');
  return input as HTMLTextAreaElement;
}

describe('SiteConsole', () => {
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
});
