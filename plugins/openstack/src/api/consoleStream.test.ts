import { readConsoleMessages } from './consoleStream';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      chunks.forEach(chunk => controller.enqueue(encoder.encode(chunk)));
      controller.close();
    },
  });
}

describe('readConsoleMessages', () => {
  it('hands over each line as it comes, even split across chunks, and returns the end', async () => {
    const lines: string[] = [];
    const end = await readConsoleMessages(
      streamOf(
        '{"type":"line","text":"+----+"}\n{"type":"li',
        'ne","text":"| ID |"}\n',
        '{"type":"end","status":"ok"}\n',
      ),
      line => lines.push(line),
      '/console',
    );
    expect(lines).toEqual(['+----+', '| ID |']);
    expect(end).toEqual({ type: 'end', status: 'ok' });
  });

  it('rejects a malformed message and a stream that ends without its end', async () => {
    await expect(
      readConsoleMessages(streamOf('{"type":"line"}\n'), () => {}, '/c'),
    ).rejects.toThrow(/Malformed console message from \/c: text:/);
    await expect(
      readConsoleMessages(streamOf('not json\n'), () => {}, '/c'),
    ).rejects.toThrow('Malformed console message from /c: not JSON');
    await expect(
      readConsoleMessages(
        streamOf('{"type":"line","text":"x"}\n'),
        () => {},
        '/c',
      ),
    ).rejects.toThrow("The console's answer from /c ended early");
  });
});
