/**
 * @jest-environment node
 */
import { ScanEvent } from '@fedstack/plugin-openstack-common';
import {
  exampleScan,
  exampleSiteDetail,
  exampleTlsCheckResponse,
} from '../testScans';
import { OpenStackClient } from './OpenStackClient';

const discoveryApi = {
  getBaseUrl: async () => 'http://backstage/api/openstack',
};

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) {
        controller.enqueue(encoder.encode(chunk));
      }
      controller.close();
    },
  });
}

function clientAnswering(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  return {
    client: new OpenStackClient({ discoveryApi, fetchApi: { fetch } }),
    fetch,
  };
}

describe('OpenStackClient', () => {
  it('parses a site detail and asks the right URL', async () => {
    const detail = exampleSiteDetail();
    const { client, fetch } = clientAnswering(
      new Response(JSON.stringify(detail), {
        headers: { 'content-type': 'application/json' },
      }),
    );
    await expect(client.getSite('default', 'site-a')).resolves.toEqual(detail);
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/openstack/sites/default/site-a',
      undefined,
    );
  });

  it("reads one check's evidence, full or summarized, from its scan's URL", async () => {
    for (const detail of ['full', 'summary'] as const) {
      const answer = exampleTlsCheckResponse(detail);
      const { client, fetch } = clientAnswering(
        new Response(JSON.stringify(answer), {
          headers: { 'content-type': 'application/json' },
        }),
      );
      await expect(
        client.getCheckResult('scan-2', 'keystone.tls'),
      ).resolves.toEqual(answer);
      expect(fetch).toHaveBeenCalledWith(
        'http://backstage/api/openstack/scans/scan-2/checks/keystone.tls',
        undefined,
      );
    }
  });

  it("fetches the backend's check-results export with the file name it gives", async () => {
    const { client, fetch } = clientAnswering(
      new Response('"site","check"\n', {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition':
            'attachment; filename="openstack-fleet-2026-11-23.csv"',
        },
      }),
    );
    await expect(client.exportResults('csv')).resolves.toEqual({
      filename: 'openstack-fleet-2026-11-23.csv',
      type: 'text/csv; charset=utf-8',
      content: '"site","check"\n',
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backstage/api/openstack/export?format=csv',
    );
  });

  it('posts a scan request and rejects an HTTP error as a ResponseError', async () => {
    const { client, fetch } = clientAnswering(
      new Response(JSON.stringify({ scanId: 's1', joined: false }), {
        status: 202,
      }),
    );
    await expect(client.triggerScan('default', 'site-a')).resolves.toEqual({
      scanId: 's1',
      joined: false,
    });
    expect(fetch.mock.calls[0][1]).toEqual({ method: 'POST' });

    const failing = clientAnswering(
      new Response(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'no site' },
        }),
        {
          status: 404,
          statusText: 'Not Found',
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    await expect(failing.client.listSites()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
    });
  });

  it('rejects an answer that does not match the schema', async () => {
    const { client } = clientAnswering(
      new Response(JSON.stringify({ items: [{ name: 'x' }] })),
    );
    await expect(client.listSites()).rejects.toThrow(/entityRef/);
  });

  it('reads scan events split across chunks', async () => {
    const scan = exampleScan();
    const finished = JSON.stringify({ type: 'scan-finished', scan });
    const { client, fetch } = clientAnswering(
      new Response(
        streamOf([
          ': keep-alive\n\ndata: {"type":"check-st',
          'arted","checkId":"keystone.tls"}\n',
          '\ndata: {"type":"check-finished","checkId":"keystone.tls",',
          '"status":"fail","message":"not https"}\r\n\r\n',
          `data: ${finished.slice(0, 40)}`,
          `${finished.slice(40)}\n\n`,
        ]),
        { headers: { 'content-type': 'text/event-stream' } },
      ),
    );
    const events: ScanEvent[] = [];
    await client.watchScan('scan 1', event => events.push(event));

    expect(fetch.mock.calls[0][0]).toBe(
      'http://backstage/api/openstack/scans/scan%201/events',
    );
    expect(events).toEqual([
      { type: 'check-started', checkId: 'keystone.tls' },
      {
        type: 'check-finished',
        checkId: 'keystone.tls',
        status: 'fail',
        message: 'not https',
      },
      { type: 'scan-finished', scan },
    ]);
  });

  it('rejects a malformed event with a clear error', async () => {
    const { client } = clientAnswering(
      new Response(
        streamOf([
          'data: {"type":"check-started","checkId":"keystone.tls"}\n\n',
          'data: {"type":"check-finished","checkId":"keystone.tls","status":"broken"}\n\n',
        ]),
      ),
    );
    const events: ScanEvent[] = [];
    await expect(
      client.watchScan('s1', event => events.push(event)),
    ).rejects.toThrow(
      /Malformed scan event from \/scans\/s1\/events: status: .*message/s,
    );
    expect(events).toHaveLength(1);

    const notJson = clientAnswering(
      new Response(streamOf(['data: {oops\n\n'])),
    );
    await expect(notJson.client.watchScan('s1', () => {})).rejects.toThrow(
      'Malformed scan event from /scans/s1/events: not JSON: {oops',
    );
  });

  it('stops quietly when the caller aborts', async () => {
    const encoder = new TextEncoder();
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(
          encoder.encode(
            'data: {"type":"check-started","checkId":"keystone.tls"}\n\n',
          ),
        );
        controller.signal.addEventListener('abort', () =>
          stream.error(new DOMException('aborted', 'AbortError')),
        );
      },
    });
    const { client } = clientAnswering(new Response(body));
    const events: ScanEvent[] = [];
    const watching = client.watchScan(
      's1',
      event => {
        events.push(event);
        controller.abort();
      },
      controller.signal,
    );
    await expect(watching).resolves.toBeUndefined();
    expect(events).toHaveLength(1);
  });
});
