/**
 * A small, strict reader for the plain data XML that GOCDB's public API writes, used by the
 * registration checks and by the backend's GOCDB site provider.
 *
 * Why by hand: it was written before an XML library was among the dependencies; a well-kept
 * one (fast-xml-parser) should replace it, keeping the refusals below. GOCDB's answers are elements, attributes, text, CDATA, the five named entities and
 * character references, nothing more. So this reads exactly that and refuses the rest: a DOCTYPE
 * (whose entity declarations are the classic XML attack) or any other declaration stops the read,
 * so nothing unexpected is half-understood.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), entities decoded, trimmed. */
  text: string;
}

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};
/** Deeper than any GOCDB answer; a bound so a hostile document cannot exhaust the stack. */
const MAX_DEPTH = 64;

/** The document's root element; throws {@link XmlError} on anything but well-formed data XML. */
export function parseXml(source: string): XmlElement {
  let at = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (why: string): never => {
    throw new XmlError(`${why} at character ${at}`);
  };
  const skipSpace = () => {
    while (at < source.length && /\s/.test(source[at])) at++;
  };
  const skipPast = (end: string, what: string) => {
    const found = source.indexOf(end, at);
    if (found < 0) fail(`unterminated ${what}`);
    at = found + end.length;
  };
  const decode = (text: string): string =>
    text.replace(/&([^;\s&<]*)(;?)/g, (_whole, entity: string, semi) => {
      if (!semi) return fail('a bare & in text');
      if (entity in ENTITIES) return ENTITIES[entity];
      const numeric = /^#(?:x([0-9a-fA-F]{1,6})|(\d{1,7}))$/.exec(entity);
      const code = numeric
        ? parseInt(numeric[1] ?? numeric[2], numeric[1] ? 16 : 10)
        : NaN;
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
      return fail(`unknown entity &${entity};`);
    });
  const readName = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(source);
    if (!match) return fail('expected a name');
    at += match[0].length;
    return match[0];
  };
  // Prolog and epilogue: the XML declaration, comments, processing instructions; no DOCTYPE.
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<?', at)) skipPast('?>', 'processing instruction');
      else if (source.startsWith('<!--', at)) skipPast('-->', 'comment');
      else if (source.startsWith('<!', at)) fail('a DOCTYPE is not accepted');
      else return;
    }
  };
  const element = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) fail('elements nested too deep');
    if (source[at] !== '<') fail('expected an element');
    at++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (source[at] === '>') {
        at++;
        break;
      }
      if (at >= source.length) fail(`unterminated <${name}>`);
      const attribute = readName();
      skipSpace();
      if (source[at] !== '=') fail(`attribute ${attribute} has no value`);
      at++;
      skipSpace();
      const quote = source[at];
      if (quote !== '"' && quote !== "'") fail('unquoted attribute value');
      const end = source.indexOf(quote, at + 1);
      if (end < 0) fail('unterminated attribute value');
      const value = source.slice(at + 1, end);
      if (value.includes('<')) fail('< in an attribute value');
      attributes[attribute] = decode(value);
      at = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (at >= source.length) fail(`unterminated <${name}>`);
      if (source.startsWith('</', at)) {
        at += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (source[at] !== '>') fail(`unterminated </${name}>`);
        at++;
        return { name, attributes, children, text: text.trim() };
      }
      if (source.startsWith('<![CDATA[', at)) {
        const end = source.indexOf(']]>', at);
        if (end < 0) fail('unterminated CDATA');
        text += source.slice(at + 9, end);
        at = end + 3;
      } else if (source.startsWith('<!--', at)) {
        skipPast('-->', 'comment');
      } else if (source.startsWith('<?', at)) {
        skipPast('?>', 'processing instruction');
      } else if (source.startsWith('<!', at)) {
        fail('a declaration is not accepted inside an element');
      } else if (source[at] === '<') {
        children.push(element(depth + 1));
      } else {
        const end = source.indexOf('<', at);
        const chunk = source.slice(at, end < 0 ? source.length : end);
        text += decode(chunk);
        at += chunk.length;
      }
    }
  };
  skipMisc();
  const root = element(0);
  skipMisc();
  if (at < source.length) fail('content after the root element');
  return root;
}

/** The text of an element's first child of that name ('' when absent or empty). */
export function childText(element: XmlElement, name: string): string {
  return element.children.find(child => child.name === name)?.text ?? '';
}
