import {
  EntityDecoderOptions,
  XMLParser,
  XMLValidator,
  ValidationError,
} from 'fast-xml-parser';

/**
 * A strict reader for the plain data XML that GOCDB's public API writes, used by the
 * registration checks and by the catalog module's GOCDB site provider (through `gocdb.ts`), on
 * top of fast-xml-parser.
 *
 * GOCDB's answers are elements, attributes, text, CDATA, the five named entities and character
 * references, nothing more. fast-xml-parser is lenient beyond that (it reads a DOCTYPE and its
 * entity declarations, leaves unknown entities as they are, accepts several roots), so this adds
 * the refusals: a DOCTYPE (whose entity declarations are the classic XML attack) or any other
 * declaration stops the read, as does an unknown entity or a bare &, so nothing unexpected is
 * half-understood. The library's validator runs first for well-formedness and its line/column.
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

const NAME = /^[A-Za-z_:][\w.:-]*$/;
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};
/** Deeper than any GOCDB answer; a bound so a hostile document cannot exhaust the stack. */
const MAX_DEPTH = 64;
const TEXT = '#text';
const ATTRIBUTES = ':@';

/** Strict decoding of the text and attribute values the parser hands over, and no DOCTYPE. */
const strictEntities: EntityDecoderOptions = {
  setExternalEntities: () => {},
  // The parser calls this for every DOCTYPE it meets, wherever it is.
  addInputEntities: () => {
    throw new XmlError('a DOCTYPE is not accepted');
  },
  reset: () => {},
  setXmlVersion: () => {},
  decode: (raw: string) => {
    // Text never holds a raw <: the parser would have read a tag. So this is an attribute.
    if (raw.includes('<')) throw new XmlError('< in an attribute value');
    return raw.replace(/&([^;\s&<]*)(;?)/g, (_whole, entity: string, semi) => {
      if (!semi) throw new XmlError('a bare & in text');
      if (entity in ENTITIES) return ENTITIES[entity];
      const numeric = /^#(?:x([0-9a-fA-F]{1,6})|(\d{1,7}))$/.exec(entity);
      const code = numeric
        ? parseInt(numeric[1] ?? numeric[2], numeric[1] ? 16 : 10)
        : NaN;
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
      throw new XmlError(`unknown entity &${entity};`);
    });
  },
};

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  entityDecoder: strictEntities,
  maxNestedTags: MAX_DEPTH,
});

/** The validator's complaints in the words this reader always used (callers match on them). */
function describe({ err }: ValidationError): string {
  const where = `line ${err.line}${err.col ? `, column ${err.col}` : ''}`;
  const mismatched =
    /^Expected closing tag '([^']*)' .* instead of closing tag '([^']*)'/.exec(
      err.msg,
    );
  const unclosed = /^Unclosed tag '([^']*)'/.exec(err.msg);
  let why = err.msg;
  if (mismatched) why = `</${mismatched[2]}> closes <${mismatched[1]}>`;
  else if (unclosed) why = `unterminated <${unclosed[1]}>`;
  // What is still open at the end of the document, listed as a JSON array of names.
  else if (/^Invalid '\[/.test(err.msg)) why = 'unterminated elements';
  else if (/char '&'/.test(err.msg)) why = 'a bare & in text';
  else if (/^(Multiple possible root|Extra text at the end)/.test(err.msg))
    why = 'content after the root element';
  return `${why}${why === err.msg ? '' : ` (${err.msg})`} at ${where}`;
}

type Node = Record<string, unknown>;

function elementOf(node: Node, depth: number): XmlElement {
  if (depth > MAX_DEPTH) throw new XmlError('elements nested too deep');
  const name = Object.keys(node).find(key => key !== ATTRIBUTES) ?? '';
  if (!NAME.test(name)) {
    throw new XmlError(
      name.startsWith('!')
        ? 'a declaration is not accepted inside an element'
        : `not an element name: ${JSON.stringify(name)}`,
    );
  }
  const attributes = Object.fromEntries(
    Object.entries((node[ATTRIBUTES] ?? {}) as Record<string, unknown>).map(
      ([key, value]) => [key, String(value)],
    ),
  );
  const children: XmlElement[] = [];
  let text = '';
  for (const child of node[name] as Node[]) {
    if (TEXT in child) text += String(child[TEXT]);
    else children.push(elementOf(child, depth + 1));
  }
  return { name, attributes, children, text: text.trim() };
}

/** The document's root element; throws {@link XmlError} on anything but well-formed data XML. */
export function parseXml(source: string): XmlElement {
  const xml = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlError(describe(valid));
  let nodes: Node[];
  try {
    nodes = parser.parse(xml);
  } catch (error) {
    if (error instanceof XmlError) throw error;
    const message = (error as Error).message;
    throw new XmlError(
      /nested/i.test(message)
        ? `elements nested too deep (${message})`
        : message,
    );
  }
  const roots = nodes.filter(node => !(TEXT in node));
  if (nodes.some(node => TEXT in node && String(node[TEXT]).trim() !== '')) {
    throw new XmlError('text outside the root element');
  }
  if (roots.length === 0) throw new XmlError('no root element');
  if (roots.length > 1) throw new XmlError('content after the root element');
  return elementOf(roots[0], 0);
}

/** The text of an element's first child of that name ('' when absent or empty). */
export function childText(element: XmlElement, name: string): string {
  return element.children.find(child => child.name === name)?.text ?? '';
}
