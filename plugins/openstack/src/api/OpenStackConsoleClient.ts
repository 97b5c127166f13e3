import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ConsoleAccount,
  consoleAccountSchema,
  ConsoleCommands,
  consoleCommandsSchema,
  ConsoleTerminal,
} from '@fedstack/plugin-openstack-common';
import { ConsoleEnd, OpenStackConsoleApi } from './OpenStackConsoleApi';
import { readConsoleMessages } from './consoleStream';

/** The console's calls to `/api/openstack`, through Backstage's discovery and fetch. */
export class OpenStackConsoleClient implements OpenStackConsoleApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async runConsoleLine(
    namespace: string,
    name: string,
    line: string,
    onLine: (text: string) => void,
    signal?: AbortSignal,
    terminal?: ConsoleTerminal,
  ): Promise<ConsoleEnd> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('openstack');
    const path = `/sites/${encodeURIComponent(namespace)}/${encodeURIComponent(
      name,
    )}/console`;
    try {
      const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/x-ndjson',
        },
        body: JSON.stringify(terminal ? { line, terminal } : { line }),
        signal,
      });
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      if (!response.body) {
        throw new Error(`No stream in the answer of ${path}`);
      }
      return await readConsoleMessages(response.body, onLine, path);
    } catch (error) {
      // Ctrl+C aborts the request: that is how a command is cancelled, not a failure.
      if (signal?.aborted) {
        return { type: 'end', status: 'cancelled' };
      }
      throw error;
    }
  }

  async getConsoleAccount(
    namespace: string,
    name: string,
  ): Promise<ConsoleAccount> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('openstack');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}/sites/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}/console/account`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return consoleAccountSchema.parse(await response.json());
  }

  async getConsoleCommands(): Promise<ConsoleCommands> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('openstack');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}/console/commands`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return consoleCommandsSchema.parse(await response.json());
  }
}
