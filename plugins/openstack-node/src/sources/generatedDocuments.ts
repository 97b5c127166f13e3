/**
 * Test-only: documents in the shape public services answer, for tests of the sources and the
 * checks. Neither GOCDB nor the EGI accounting portal can be reached from the test machines (no
 * internet), so no recorded answer of theirs could be made; these generators follow the formats
 * their documentation and their clients' test suites show. Nothing here is part of the package's
 * exports.
 */

/*
 * GOCDB (no recorded answer could be made here: no internet).
 * The documents below are generated in the shape GOCDB's public API documents for
 * get_service_endpoint (and cloud-info-provider's test suite shows): `<results>` with one
 * `<SERVICE_ENDPOINT PRIMARY_KEY="…">` per service and its PRIMARY_KEY, HOSTNAME,
 * GOCDB_PORTAL_URL, BETA, SERVICE_TYPE, CORE, IN_PRODUCTION, NODE_MONITORED, NOTIFICATIONS,
 * SITENAME, COUNTRY_NAME, COUNTRY_CODE, ROC_NAME, URL, ENDPOINTS, SCOPES, EXTENSIONS.
 */
export interface GeneratedService {
  key: string;
  hostname: string;
  type: string;
  url?: string;
  production?: 'Y' | 'N';
  monitored?: 'Y' | 'N';
  site: string;
  endpoints?: Array<{ id: string; name: string; url: string; type: string }>;
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function getServiceEndpointXml(services: GeneratedService[]): string {
  const body = services
    .map(
      s => `  <SERVICE_ENDPOINT PRIMARY_KEY="${s.key}">
    <PRIMARY_KEY>${s.key}</PRIMARY_KEY>
    <HOSTNAME>${s.hostname}</HOSTNAME>
    <GOCDB_PORTAL_URL>https://goc.egi.eu/portal/index.php?Page_Type=Service&amp;id=${parseInt(
      s.key,
      10,
    )}</GOCDB_PORTAL_URL>
    <BETA>N</BETA>
    <SERVICE_TYPE>${s.type}</SERVICE_TYPE>
    <CORE/>
    <IN_PRODUCTION>${s.production ?? 'Y'}</IN_PRODUCTION>
    <NODE_MONITORED>${s.monitored ?? 'Y'}</NODE_MONITORED>
    <NOTIFICATIONS>Y</NOTIFICATIONS>
    <SITENAME>${s.site}</SITENAME>
    <COUNTRY_NAME>Spain</COUNTRY_NAME>
    <COUNTRY_CODE>ES</COUNTRY_CODE>
    <ROC_NAME>NGI_IBERGRID</ROC_NAME>
    ${s.url ? `<URL>${escape(s.url)}</URL>` : '<URL/>'}
    ${
      s.endpoints?.length
        ? `<ENDPOINTS>${s.endpoints
            .map(
              e => `
      <ENDPOINT>
        <ID>${e.id}</ID>
        <NAME>${e.name}</NAME>
        <EXTENSIONS/>
        <URL>${escape(e.url)}</URL>
        <INTERFACENAME>${e.type}</INTERFACENAME>
        <ENDPOINT_MONITORED>Y</ENDPOINT_MONITORED>
      </ENDPOINT>`,
            )
            .join('')}
    </ENDPOINTS>`
        : '<ENDPOINTS/>'
    }
    <SCOPES>
      <SCOPE>EGI</SCOPE>
    </SCOPES>
    <EXTENSIONS/>
  </SERVICE_ENDPOINT>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<results>\n${body}\n</results>`;
}

/*
 * The EGI accounting portal cannot be reached from here (no internet), so no recorded answer of
 * it could be made. The tables below are generated in the documented shape of its JSON output
 * (`/cloud/<metric>/<rows>/<columns>/…/JSON/`, as read by fedcloud-catchall-operations'
 * accounting module and shown in EGI's OKR reports): one object per row with `id`, a key per
 * column, `Total` and `Percent`; then the `Total`, `Percent`, `xlegend`, `ylegend` and `var`
 * rows. These tests cover parsing and judging only.
 */
export function portalTable(
  rows: string,
  columns: string,
  cells: Record<string, Record<string, number>>,
) {
  const columnKeys = [
    ...new Set(Object.values(cells).flatMap(Object.keys)),
  ].sort();
  const data = Object.entries(cells).map(([id, values]) => {
    const total = Object.values(values).reduce((a, b) => a + b, 0);
    return {
      ...Object.fromEntries(columnKeys.map(c => [c, values[c] ?? 0])),
      id,
      Total: Math.round(total),
      Percent: 100,
    };
  });
  const totals = Object.fromEntries(
    columnKeys.map(c => [
      c,
      Math.round(Object.values(cells).reduce((a, v) => a + (v[c] ?? 0), 0)),
    ]),
  );
  return [
    ...data,
    { ...totals, id: 'Total', Total: 0, Percent: '' },
    {
      ...Object.fromEntries(columnKeys.map(c => [c, '0.00%'])),
      id: 'Percent',
      Percent: '',
      Total: '',
    },
    {
      id: 'xlegend',
      ...Object.fromEntries(Object.keys(cells).map((r, i) => [String(i), r])),
    },
    {
      id: 'ylegend',
      ...Object.fromEntries(
        [...columnKeys, 'id'].map((c, i) => [String(i), c]),
      ),
    },
    { id: 'var', xrange: columns, yrange: rows, query: 'sum_elap_processors' },
  ];
}
