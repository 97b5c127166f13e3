import {
  ConsoleMessage,
  consoleMessageSchema,
} from '@fedstack/plugin-openstack-common';

/**
 * Reads the console's NDJSON answer: one message a line, `line`s as the command writes them,
 * then one `end`. Returns the `end`; a malformed message or a stream without `end` rejects.
 */
export async function readConsoleMessages(
  body: ReadableStream<Uint8Array>,
  onLine: (text: string) => void,
  source: string,
): Promise<Extract<ConsoleMessage, { type: 'end' }>> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const handle = (
    raw: string,
  ): Extract<ConsoleMessage, { type: 'end' }> | undefined => {
    if (raw.trim() === '') return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new Error(`Malformed console message from ${source}: not JSON`);
    }
    const parsed = consoleMessageSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(
        `Malformed console message from ${source}: ${parsed.error.issues
          .map(i => `${i.path.join('.') || '(message)'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    if (parsed.data.type === 'line') {
      onLine(parsed.data.text);
      return undefined;
    }
    return parsed.data;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done
        ? decoder.decode()
        : decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const end = handle(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        if (end) return end;
        newline = buffer.indexOf('\n');
      }
      if (done) {
        const end = handle(buffer);
        if (end) return end;
        throw new Error(`The console's answer from ${source} ended early`);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
