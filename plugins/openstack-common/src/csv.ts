/**
 * A CSV document as spreadsheets read it (RFC 4180: comma-separated, CRLF line ends, a field
 * quoted only when it holds a comma, a quote or a line break). A field starting with a formula
 * character (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`, so a spreadsheet shows a check's
 * message or a site's title as text instead of running it. Empty for null and undefined.
 * The fleet page's site export and the backend's check-results export both write through it.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  return rows.map(row => `${row.map(csvField).join(',')}\r\n`).join('');
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
