import { useEffect, useRef, useState } from 'react';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { ResponseError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import {
  completeConsoleLine,
  ConsoleCommandSpec,
  openstackConsoleUsePermission,
} from '@fedstack/plugin-openstack-common';
import { openstackConsoleApiRef } from '../../api';
import { LineEditor } from './lineEditor';

const useStyles = makeStyles(theme => ({
  terminal: {
    height: 520,
    padding: theme.spacing(1),
    backgroundColor: '#1e1e1e',
    borderRadius: theme.shape.borderRadius,
  },
  // What the terminal printed, for screen readers (xterm draws it for the eye only).
  transcript: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'pre',
  },
}));

const PROMPT = '\x1b[1;32mopenstack>\x1b[0m ';
const TRANSCRIPT_LINES = 200;

// The colours the console writes (the node library's table.ts: reset, dim, red, green, yellow).
// eslint-disable-next-line no-control-regex -- they are escape sequences
const CONSOLE_SGR = /\x1b\[(?:0|2|31|32|33)m/g;

/**
 * Output from a site may hold anything: control characters would drive the terminal. Only the
 * console's own colour codes pass; every other control character is shown as U+FFFD.
 */
export function printable(text: string): string {
  const plain = (part: string) =>
    // eslint-disable-next-line no-control-regex -- matching them is the point
    part.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
  const colours = text.match(CONSOLE_SGR) ?? [];
  return text
    .split(CONSOLE_SGR)
    .map((part, i) => plain(part) + (colours[i] ?? ''))
    .join('');
}

/** The text without its colours, for the screen readers' transcript. */
export function withoutColours(text: string): string {
  return text.replace(CONSOLE_SGR, '');
}

/** How to leave the terminal with the keyboard (WCAG 2.1.2): Tab itself completes. */
export const KEYBOARD_HELP =
  'Tab completes commands and options. To leave the console with the keyboard: Esc, then Tab (or Shift+Tab).';

/** Why the user may not use the console of a site (the backend checks it on every line). */
export const consoleRefusal = (namespace: string, name: string) =>
  `You may not use the console of ${namespace}/${name}: the permission openstack.console.use is needed.`;

const STATUS_COLOUR: Record<string, string> = {
  refused: '\x1b[33m',
  error: '\x1b[31m',
};

/**
 * A read-only console on an `openstack-site`: allow-listed `openstack` CLI commands run by the
 * backend with the site's reader account (never a shell). History with up/down, `clear`,
 * Ctrl+C cancels the running command, Tab completes (the grammar comes from the backend), and
 * Esc then Tab leaves. Tables come fitted to the terminal's width, statuses coloured.
 */
export const SiteConsole = () => {
  const classes = useStyles();
  const { entity } = useEntity();
  const consoleApi = useApi(openstackConsoleApiRef);
  const namespace = entity.metadata.namespace ?? 'default';
  const name = entity.metadata.name;
  // The permission the console route checks, on the site: no terminal until it is allowed.
  const permission = usePermission({
    permission: openstackConsoleUsePermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const allowed = !permission.loading && permission.allowed;
  // Which account the commands run with, named by the backend (never its secret).
  const account = useAsync(
    async () =>
      allowed ? consoleApi.getConsoleAccount(namespace, name) : undefined,
    [consoleApi, namespace, name, allowed],
  );
  const refused = !permission.loading && !permission.allowed;
  const container = useRef<HTMLDivElement>(null);
  const [transcript, setTranscript] = useState<string[]>([]);
  const [denied, setDenied] = useState<string>();
  // Esc was pressed: the next Tab leaves the terminal (said to screen readers too).
  const [leaving, setLeaving] = useState(false);

  useEffect(() => {
    if (!allowed || !container.current) return undefined;
    const terminal = new Terminal({
      cursorBlink: true,
      fontFamily: 'Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      screenReaderMode: false,
      theme: { background: '#1e1e1e' },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(container.current);
    const refit = () => {
      try {
        fit.fit();
      } catch {
        // Not laid out yet (or no layout at all, as in tests).
      }
    };
    refit();
    window.addEventListener('resize', refit);

    const record = (line: string) =>
      setTranscript(lines =>
        [...lines, withoutColours(line)].slice(-TRANSCRIPT_LINES),
      );
    const println = (line: string, colour = '') => {
      terminal.write(
        `${colour}${printable(line)}${colour ? '\x1b[0m' : ''}\r\n`,
      );
      record(line);
    };
    let running: AbortController | undefined;

    // The grammar to complete with; until it comes (or if it cannot), Tab does nothing.
    let commands: ConsoleCommandSpec[] = [];
    let disposed = false;
    consoleApi
      .getConsoleCommands()
      .then(answer => {
        if (!disposed) commands = answer.commands;
      })
      .catch(() => {});

    // Tab completes, so it cannot also leave: Esc, then Tab or Shift+Tab, does (the key is
    // left to the browser). Any other key in between cancels the Esc.
    let escaped = false;
    terminal.attachCustomKeyEventHandler(event => {
      if (event.type !== 'keydown') return true;
      if (event.key === 'Escape') {
        escaped = true;
        setLeaving(true);
        return false;
      }
      if (event.key === 'Tab' && escaped) {
        escaped = false;
        setLeaving(false);
        return false;
      }
      if (!['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) {
        escaped = false;
        setLeaving(false);
      }
      return true;
    });

    const editor: LineEditor = new LineEditor({
      prompt: PROMPT,
      write: data => terminal.write(data),
      onClear: () => terminal.clear(),
      onCancel: () => running?.abort(),
      complete: line => completeConsoleLine(line, commands),
      onSubmit: line => {
        record(`openstack> ${line}`);
        if (line === 'clear') {
          terminal.clear();
          editor.prompt();
          return;
        }
        const controller = new AbortController();
        running = controller;
        consoleApi
          .runConsoleLine(
            namespace,
            name,
            line,
            text => println(text),
            controller.signal,
            {
              columns: Math.max(20, Math.min(1000, terminal.cols)),
              colour: true,
            },
          )
          .then(end => {
            if (end.status === 'cancelled') println('Cancelled.', '\x1b[33m');
            else if (STATUS_COLOUR[end.status] && end.message) {
              // The refusal or error is the command's output already; mark that it ended so.
              record(`(${end.status})`);
            }
          })
          .catch(error => {
            if (
              error instanceof ResponseError &&
              error.response.status === 403
            ) {
              const message = consoleRefusal(namespace, name);
              setDenied(message);
              println(message, STATUS_COLOUR.error);
            } else {
              println(
                `The console could not run this: ${error.message ?? error}`,
                STATUS_COLOUR.error,
              );
            }
          })
          .finally(() => {
            running = undefined;
            editor.prompt();
          });
      },
    });
    const input = terminal.onData(data => editor.input(data));

    println(
      `Read-only console of ${namespace}/${name}. Type "help" for the commands.`,
      '\x1b[2m',
    );
    editor.prompt();
    terminal.focus();

    return () => {
      disposed = true;
      running?.abort();
      input.dispose();
      window.removeEventListener('resize', refit);
      terminal.dispose();
    };
  }, [consoleApi, namespace, name, allowed]);

  return (
    <InfoCard
      title="Site console"
      subheader={`Read-only openstack commands, run as ${
        account.value?.account ?? "the site's reader account"
      }`}
    >
      <Typography variant="body2" id="site-console-keys" gutterBottom>
        {KEYBOARD_HELP}
      </Typography>
      {(denied || refused) && (
        <WarningPanel
          severity="error"
          title="No access to this console"
          defaultExpanded
        >
          <Typography>{denied ?? consoleRefusal(namespace, name)}</Typography>
        </WarningPanel>
      )}
      {permission.loading && <Progress />}
      {allowed && (
        <div
          ref={container}
          className={classes.terminal}
          data-testid="site-console-terminal"
          aria-describedby="site-console-keys"
        />
      )}
      <div role="status" className={classes.transcript}>
        {leaving ? 'Tab or Shift+Tab now leaves the console.' : ''}
      </div>
      <div
        role="log"
        aria-label="Console output"
        aria-live="polite"
        className={classes.transcript}
      >
        {transcript.join('\n')}
      </div>
    </InfoCard>
  );
};
