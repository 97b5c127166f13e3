/**
 * The console's line editing on top of a terminal: typing, backspace, left/right, home/end,
 * history with up/down, Enter to submit, Ctrl+C to cancel, Ctrl+L to clear, Tab to complete.
 * It writes the terminal's escape sequences and knows nothing of xterm itself, so it is tested
 * alone too.
 */

/** What Tab may put at the cursor: whole words starting with `word` (the word being typed). */
export interface Completion {
  word: string;
  candidates: string[];
}

export interface LineEditorOptions {
  /** Writes raw terminal output (escape sequences included). */
  write(data: string): void;
  /** Enter pressed on a line (history already updated). */
  onSubmit(line: string): void;
  /** Ctrl+C while a command runs. */
  onCancel(): void;
  /** Ctrl+L. */
  onClear(): void;
  prompt: string;
  historySize?: number;
  /** The completions of the line up to the cursor (Tab); none when absent. */
  complete?(lineBeforeCursor: string): Completion;
}

/** The longest start all the words share. */
export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0];
  for (const word of words) {
    while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

const KEYS: Record<string, string> = {
  '\x1b[A': 'up',
  '\x1b[B': 'down',
  '\x1b[C': 'right',
  '\x1b[D': 'left',
  '\x1b[H': 'home',
  '\x1bOH': 'home',
  '\x1b[1~': 'home',
  '\x1b[F': 'end',
  '\x1bOF': 'end',
  '\x1b[4~': 'end',
  '\x1b[3~': 'delete',
};

const SEQUENCES = Object.keys(KEYS);

function keyAt(text: string): string | undefined {
  return SEQUENCES.find(sequence => text.startsWith(sequence));
}

export class LineEditor {
  private line = '';
  private cursor = 0;
  private readonly history: string[] = [];
  /** Where up/down stand in the history; `history.length` is the line being typed. */
  private position = 0;
  private draft = '';
  private busyValue = false;

  constructor(private readonly options: LineEditorOptions) {}

  get busy(): boolean {
    return this.busyValue;
  }

  get current(): string {
    return this.line;
  }

  get entries(): readonly string[] {
    return this.history;
  }

  /** Shows the prompt and takes input again (after a command ended). */
  prompt(): void {
    this.busyValue = false;
    this.line = '';
    this.cursor = 0;
    this.position = this.history.length;
    this.options.write(this.options.prompt);
  }

  /** Terminal input: keys, escape sequences or pasted text. */
  input(data: string): void {
    let rest = data;
    while (rest.length > 0) {
      const sequence = keyAt(rest);
      if (sequence) {
        this.key(KEYS[sequence]);
        rest = rest.slice(sequence.length);
        continue;
      }
      const char = rest[0];
      rest = rest.slice(1);
      if (char === '\x03') this.interrupt();
      else if (this.busyValue) continue;
      else if (char === '\r') this.submit();
      else if (char === '\x7f' || char === '\b') this.backspace();
      else if (char === '\x0c') this.options.onClear();
      else if (char === '\t') this.completeWord();
      // Other controls (and unknown escape sequences' bytes) are not typed.
      else if (char === '\x1b')
        rest = rest.replace(/^\[?[0-9;]*[A-Za-z~]?/, '');
      else if (char >= ' ' && char !== '\x7f') this.insert(char);
    }
  }

  private key(name: string): void {
    if (this.busyValue) return;
    if (name === 'up' || name === 'down') this.recall(name);
    else if (name === 'left' && this.cursor > 0) this.moveTo(this.cursor - 1);
    else if (name === 'right' && this.cursor < this.line.length)
      this.moveTo(this.cursor + 1);
    else if (name === 'home') this.moveTo(0);
    else if (name === 'end') this.moveTo(this.line.length);
    else if (name === 'delete' && this.cursor < this.line.length) {
      this.line =
        this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1);
      this.redrawTail();
    }
  }

  /**
   * Tab: a single candidate is completed with a space after it; several are completed as far as
   * they agree, and when they agree no further, listed under the line (as bash's second Tab).
   */
  private completeWord(): void {
    const completion = this.options.complete?.(this.line.slice(0, this.cursor));
    if (!completion || completion.candidates.length === 0) return;
    const { word, candidates } = completion;
    const shared = commonPrefix(candidates);
    const more =
      shared.slice(word.length) + (candidates.length === 1 ? ' ' : '');
    if (more.length > 0) {
      for (const char of more) this.insert(char);
      return;
    }
    this.options.write(`\r\n${candidates.join('  ')}\r\n`);
    this.options.write(`${this.options.prompt}${this.line}`);
    const back = this.line.length - this.cursor;
    if (back > 0) this.options.write(`\x1b[${back}D`);
  }

  private insert(char: string): void {
    this.line =
      this.line.slice(0, this.cursor) + char + this.line.slice(this.cursor);
    this.cursor += 1;
    this.options.write(char);
    if (this.cursor < this.line.length) this.redrawTail();
  }

  private backspace(): void {
    if (this.cursor === 0) return;
    this.line =
      this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor);
    this.cursor -= 1;
    this.options.write('\b');
    this.redrawTail();
  }

  /** Rewrites from the cursor to the end of the line, then puts the cursor back. */
  private redrawTail(): void {
    const tail = this.line.slice(this.cursor);
    this.options.write(`${tail}\x1b[K`);
    if (tail.length > 0) this.options.write(`\x1b[${tail.length}D`);
  }

  private moveTo(target: number): void {
    const delta = target - this.cursor;
    if (delta > 0) this.options.write(`\x1b[${delta}C`);
    if (delta < 0) this.options.write(`\x1b[${-delta}D`);
    this.cursor = target;
  }

  private replaceLine(text: string): void {
    this.moveTo(0);
    this.line = text;
    this.cursor = text.length;
    this.options.write(`${text}\x1b[K`);
  }

  private recall(direction: 'up' | 'down'): void {
    if (this.position === this.history.length) this.draft = this.line;
    const next =
      direction === 'up'
        ? Math.max(0, this.position - 1)
        : Math.min(this.history.length, this.position + 1);
    if (next === this.position) return;
    this.position = next;
    this.replaceLine(
      next === this.history.length ? this.draft : this.history[next],
    );
  }

  private submit(): void {
    const line = this.line;
    this.options.write('\r\n');
    const trimmed = line.trim();
    if (trimmed === '') {
      this.prompt();
      return;
    }
    if (this.history[this.history.length - 1] !== trimmed) {
      this.history.push(trimmed);
      const max = this.options.historySize ?? 200;
      if (this.history.length > max) this.history.shift();
    }
    this.busyValue = true;
    this.options.onSubmit(trimmed);
  }

  private interrupt(): void {
    this.options.write('^C\r\n');
    if (this.busyValue) {
      this.options.onCancel();
    } else {
      this.prompt();
    }
  }
}
