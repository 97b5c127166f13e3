import { createParser } from 'eventsource-parser';
import { ScanEvent, scanEventSchema } from '@fedstack/plugin-openstack-common';

/**
 * Reads a `text/event-stream` of scan events. EventSource cannot send Backstage's auth header,
 * so the stream comes from `fetchApi`; `eventsource-parser` (the maintained parser of the
 * EventSource spec, also behind the `eventsource` package) splits it into events, and each
 * event's data is checked against the schema.
 */
export async function readScanEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ScanEvent) => void,
  source: string,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  // Called from `feed`, so a malformed event's error reaches the caller from there.
  const parser = createParser({
    onEvent: message => {
      if (finished || message.data === '') return;
      const event = parseScanEvent(message.data, source);
      onEvent(event);
      if (event.type === 'scan-finished') finished = true;
    },
  });
  try {
    while (!finished) {
      const { done, value } = await reader.read();
      if (done) {
        // An event not closed by a blank line is still one: the server may end the stream there.
        parser.feed(`${decoder.decode()}\n\n`);
        return;
      }
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    // The server closes the stream after scan-finished; cancelling releases the connection early.
    await reader.cancel().catch(() => undefined);
  }
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
