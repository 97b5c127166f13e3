import { ScanEvent, scanEventSchema } from '@fedstack/plugin-openstack-common';

/**
 * Reads a `text/event-stream` of scan events. EventSource cannot send Backstage's auth header,
 * so the stream comes from `fetchApi` and is parsed here: events are separated by a blank line,
 * their `data:` lines joined; comments (`:`) and other fields are ignored.
 */
export async function readScanEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ScanEvent) => void,
  source: string,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let finished = false;

  const dispatch = (block: string) => {
    const data = block
      .split(/\r\n|\r|\n/)
      .filter(line => line.startsWith('data:'))
      .map(line => line.slice(line.startsWith('data: ') ? 6 : 5))
      .join('\n');
    if (data === '') {
      return;
    }
    const event = parseScanEvent(data, source);
    onEvent(event);
    if (event.type === 'scan-finished') {
      finished = true;
    }
  };

  try {
    while (!finished) {
      const { done, value } = await reader.read();
      if (done) {
        buffer += decoder.decode();
        if (buffer.trim() !== '') {
          dispatch(buffer);
        }
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      let boundary = findBoundary(buffer);
      while (boundary && !finished) {
        dispatch(buffer.slice(0, boundary.index));
        buffer = buffer.slice(boundary.index + boundary.length);
        boundary = findBoundary(buffer);
      }
    }
  } finally {
    // The server closes the stream after scan-finished; cancelling releases the connection early.
    await reader.cancel().catch(() => undefined);
  }
}

function findBoundary(
  buffer: string,
): { index: number; length: number } | undefined {
  const match = /\r\n\r\n|\n\n|\r\r/.exec(buffer);
  return match ? { index: match.index, length: match[0].length } : undefined;
}

function parseScanEvent(data: string, source: string): ScanEvent {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new Error(
      `Malformed scan event from ${source}: not JSON: ${excerpt(data)}`,
    );
  }
  const parsed = scanEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map(issue => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
      .join('; ');
    throw new Error(
      `Malformed scan event from ${source}: ${issues} in ${excerpt(data)}`,
    );
  }
  return parsed.data;
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
