import { createApiRef } from '@backstage/core-plugin-api';
import {
  ConsoleAccount,
  ConsoleCommands,
  ConsoleMessage,
  ConsoleTerminal,
} from '@fedstack/plugin-openstack-common';

/** How a console line ended (the stream's last message). */
export type ConsoleEnd = Extract<ConsoleMessage, { type: 'end' }>;

/**
 * The site console's calls. Its own API (served by the same client) so that the console can be
 * mounted, mocked and replaced apart from the scorecard's API.
 */
export interface OpenStackConsoleApi {
  /**
   * Runs one console line on a site: `onLine` gets each output line as it comes; resolves
   * with how it ended. Rejects with a ResponseError on an HTTP error (403 without
   * `openstack.console.use`); aborting `signal` (Ctrl+C) resolves `cancelled`.
   */
  runConsoleLine(
    namespace: string,
    name: string,
    line: string,
    onLine: (text: string) => void,
    signal?: AbortSignal,
    /** The terminal's width and colours: tables fit it, statuses are coloured (ANSI SGR). */
    terminal?: ConsoleTerminal,
  ): Promise<ConsoleEnd>;

  /** The console's grammar (commands, options, their values), for Tab completion. */
  getConsoleCommands(): Promise<ConsoleCommands>;

  /** The account the site's console runs with, named (`admin (project admin)`). */
  getConsoleAccount(namespace: string, name: string): Promise<ConsoleAccount>;
}

export const openstackConsoleApiRef = createApiRef<OpenStackConsoleApi>({
  id: 'plugin.openstack.console',
});
