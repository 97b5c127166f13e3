// The three external sources of the registration and accounting checks, for a fleet of N replayed
// sites (bench/replay-server.mjs --sites N): GOCDB's public API, the cloud information API
// (cloud-info-api) and the EGI accounting portal's JSON summaries, in the formats the sandbox's
// stand-ins serve (sandbox/registry-stand-ins, whose samples and sources are named in
// sandbox/stand-ins/README.md). The data comes from sandbox/lib/registry.js and sandbox/lib/site.js
// (the VOs and their vCPUs, the accounting history, GOCDB's scopes and ids): every replayed site is
// shaped as sandbox site-a (registered in production and monitored, published with its VO
// projects, accounting fresh), under the GOCDB name BENCH-SITE-<nnnn> with its replayed Keystone
// URL. The stand-ins' renderers are not exported (the script is a server), so the XML and the
// portal's table are rendered here the same way, built for 1000 sites (the stand-in's table sums
// by scanning every record per cell, fine for two sites, not for 1000).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const registry = require(join(root, 'sandbox/lib/registry.js'));
const sandboxSite = require(join(root, 'sandbox/lib/site.js'));

export const gocdbName = n => `BENCH-SITE-${String(n).padStart(4, '0')}`;

const SCOPES = ['EGI', 'FedCloud'];
const GOCDB_PORTAL = 'https://goc.egi.eu/portal';
// GOCDB's page size (htdocs/PI/index.php); pages only when asked (page=).
const GOCDB_PAGE_SIZE = 100;
const xmlEscape = s =>
  String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
const tag = (name, value, indent) =>
  value === '' || value === undefined
    ? `${indent}<${name}/>`
    : `${indent}<${name}>${xmlEscape(value)}</${name}>`;
const yn = b => (b ? 'Y' : 'N');

/**
 * The fleet as the sources know it. `keystoneUrl(n)`: site n's replayed Keystone; `projects`:
 * the VO projects of the replayed Keystone (site-a's recorded ids, the same for every site).
 */
export function fleetSources({ sites, keystoneUrl, projects }) {
  const fleet = Array.from({ length: sites }, (_, n) => ({
    n,
    gocdbName: gocdbName(n),
    siteId: 20000 + n,
    siteKey: `${20000 + n}G0`,
    novaKey: `${30000 + 2 * n}G0`,
    accountingKey: `${30001 + 2 * n}G0`,
    endpointId: 40000 + n,
    hostname: '127.0.0.1',
    keystoneUrl: keystoneUrl(n),
  }));
  const voProjects = sandboxSite.VOS.map(vo => ({
    id: projects.find(p => p.name === vo.project)?.id,
    name: vo.name,
  })).filter(p => p.id);

  // ------------------------------------------------------------------ GOCDB
  const services = fleet.flatMap(s => [
    {
      site: s,
      id: parseInt(s.novaKey, 10),
      key: s.novaKey,
      type: 'org.openstack.nova',
      url: s.keystoneUrl,
      production: true,
      monitored: true,
      endpoints: [
        {
          id: s.endpointId,
          name: `${s.gocdbName} Keystone`,
          url: s.keystoneUrl,
          interfaceName: 'org.openstack.nova',
          monitored: true,
        },
      ],
    },
    {
      site: s,
      id: parseInt(s.accountingKey, 10),
      key: s.accountingKey,
      type: 'eu.egi.cloud.accounting',
      url: '',
      production: true,
      monitored: true,
      endpoints: [],
    },
  ]);

  function serviceXml(svc) {
    const i = '    ';
    const lines = [
      `  <SERVICE_ENDPOINT PRIMARY_KEY="${svc.key}">`,
      tag('PRIMARY_KEY', svc.key, i),
      tag('HOSTNAME', svc.site.hostname, i),
      tag(
        'GOCDB_PORTAL_URL',
        `${GOCDB_PORTAL}/index.php?Page_Type=Service&id=${svc.id}`,
        i,
      ),
      tag('BETA', 'N', i),
      tag('SERVICE_TYPE', svc.type, i),
      `${i}<CORE/>`,
      tag('IN_PRODUCTION', yn(svc.production), i),
      tag('NODE_MONITORED', yn(svc.monitored), i),
      tag('NOTIFICATIONS', 'Y', i),
      tag('SITENAME', svc.site.gocdbName, i),
      tag('COUNTRY_NAME', 'Spain', i),
      tag('COUNTRY_CODE', 'ES', i),
      tag('ROC_NAME', 'NGI_IBERGRID', i),
      tag('URL', svc.url, i),
    ];
    if (svc.endpoints.length === 0) lines.push(`${i}<ENDPOINTS/>`);
    else {
      lines.push(`${i}<ENDPOINTS>`);
      for (const e of svc.endpoints) {
        const j = `${i}    `;
        lines.push(
          `${i}  <ENDPOINT>`,
          tag('ID', e.id, j),
          tag('NAME', e.name, j),
          `${j}<EXTENSIONS/>`,
          tag('URL', e.url, j),
          tag('INTERFACENAME', e.interfaceName, j),
          tag('ENDPOINT_MONITORED', yn(e.monitored), j),
          `${i}  </ENDPOINT>`,
        );
      }
      lines.push(`${i}</ENDPOINTS>`);
    }
    lines.push(
      `${i}<SCOPES>`,
      ...SCOPES.map(sc => tag('SCOPE', sc, `${i}  `)),
      `${i}</SCOPES>`,
      `${i}<EXTENSIONS/>`,
      '  </SERVICE_ENDPOINT>',
    );
    return lines.join('\n');
  }

  const results = (items, render, meta = '') =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<results>\n${meta}${items
      .map(render)
      .join('\n')}${items.length ? '\n' : ''}</results>\n`;

  function gocdb(url) {
    if (url.pathname !== '/gocdbpi/public/') {
      return { status: 404, type: 'text/plain', body: 'Not Found\n' };
    }
    const q = url.searchParams;
    const method = q.get('method');
    const xml = body => ({ status: 200, type: 'application/xml', body });
    if (method === 'get_service_endpoint' || method === 'get_service') {
      const wanted = (q.get('scope') ?? 'EGI').split(',').filter(Boolean);
      const selected = services.filter(
        svc =>
          (!q.get('sitename') || svc.site.gocdbName === q.get('sitename')) &&
          (!q.get('service_type') || svc.type === q.get('service_type')) &&
          (!q.get('hostname') || svc.site.hostname === q.get('hostname')) &&
          wanted.every(w => SCOPES.includes(w)),
      );
      if (!q.has('page')) return xml(results(selected, serviceXml));
      // Offset paging as GOCDB renders it (self, next, prev, first, last; absolute links).
      const page = Number(q.get('page'));
      const last = Math.max(1, Math.ceil(selected.length / GOCDB_PAGE_SIZE));
      const link = p => {
        const copy = new URLSearchParams(q);
        copy.set('page', String(p));
        return `${url.origin}${url.pathname}?${copy}`;
      };
      const links = [['self', `${url.origin}${url.pathname}?${q}`]];
      if (page + 1 <= last) links.push(['next', link(page + 1)]);
      if (page > 1) links.push(['prev', link(page - 1)]);
      links.push(['first', link(1)], ['last', link(last)]);
      const meta = `  <meta>\n${links
        .map(
          ([rel, href]) => `    <link rel="${rel}" href="${xmlEscape(href)}"/>`,
        )
        .join('\n')}\n  </meta>\n`;
      return xml(
        results(
          selected.slice((page - 1) * GOCDB_PAGE_SIZE, page * GOCDB_PAGE_SIZE),
          serviceXml,
          meta,
        ),
      );
    }
    if (method === 'get_site_list') {
      return xml(
        results(
          fleet.filter(
            s => !q.get('sitename') || s.gocdbName === q.get('sitename'),
          ),
          s =>
            `  <SITE ID="${s.siteId}" PRIMARY_KEY="${
              s.siteKey
            }" NAME="${xmlEscape(
              s.gocdbName,
            )}" COUNTRY="Spain" COUNTRY_CODE="ES" ROC="NGI_IBERGRID" SUBGRID="" GIIS_URL=""/>`,
        ),
      );
    }
    return {
      status: 200,
      type: 'application/xml',
      body: `Unable to find method: ${method ?? ''}`,
    };
  }

  // ------------------------------------------------------------------ cloud-info-api
  const published = fleet.map(s => ({
    id: s.novaKey,
    name: s.gocdbName,
    url: s.keystoneUrl,
    state: '',
    hostname: s.hostname,
    projects: voProjects,
  }));
  const summary = (s, withProjects) => {
    const { projects, ...rest } = s;
    return withProjects ? { ...rest, projects } : rest;
  };
  const truthy = v =>
    ['true', '1', 'yes', 'on'].includes((v ?? '').toLowerCase());
  const json = (status, value) => ({
    status,
    type: 'application/json',
    body: JSON.stringify(value),
  });

  function cloudInfo(url) {
    const p = url.pathname;
    if (p === '/sites') {
      return { status: 307, location: `/sites/${url.search}` };
    }
    if (p === '/sites/') {
      const withProjects = truthy(url.searchParams.get('include_projects'));
      const vo = url.searchParams.get('vo_name') || '';
      const name = url.searchParams.get('site_name') || '';
      return json(
        200,
        published
          .filter(s => !name || s.name === name)
          .filter(s => !vo || s.projects.some(x => x.name === vo))
          .map(s => summary(s, withProjects)),
      );
    }
    const m = /^\/site\/([^/]+)\/(projects)?$/.exec(p);
    if (m) {
      const found = published.find(s => s.name === decodeURIComponent(m[1]));
      if (!found) return json(404, { detail: `Site ${m[1]} not found` });
      return m[2]
        ? json(200, found.projects)
        : json(
            200,
            summary(found, truthy(url.searchParams.get('include_projects'))),
          );
    }
    return json(404, { detail: 'Not Found' });
  }

  // ------------------------------------------------------------------ accounting portal
  // Every site is as fresh as sandbox site-a (registry.siteState without defects): records up to
  // now, since HISTORY_MONTHS back, for every VO of VO_VCPUS.
  const monthKey = d =>
    `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

  function portal(url) {
    const p = url.pathname;
    const route =
      /^\/(egi\/)?cloud\/sum_elap_processors\/(SITE|VO|DATE)\/(SITE|VO|DATE)\/(\d{4})\/(\d{1,2})\/(\d{4})\/(\d{1,2})\/([^/]+)\/(onlyinfrajobs|localinfrajobs|onlylocaljobs)\/JSON\/?$/.exec(
        p,
      );
    if (!route) return { status: 404, type: 'text/plain', body: 'Not Found\n' };
    // The portal answers /cloud/… with a redirect on the same host; the table lives under /egi/.
    if (!route[1]) return { status: 302, location: `/egi${p}${url.search}` };
    const [, , rowDim, colDim, sy, sm, ey, em, vos] = route;
    if (rowDim === colDim) {
      return { status: 400, type: 'text/plain', body: 'Bad Request\n' };
    }
    const start = new Date(Date.UTC(Number(sy), Number(sm) - 1, 1));
    const end = new Date(Date.UTC(Number(ey), Number(em), 1));
    const voFilter =
      vos === 'all'
        ? undefined
        : /^custom-(.+)$/.exec(decodeURIComponent(vos))?.[1];
    const now = new Date();
    const state = registry.siteState('a', now, []);
    const months = [];
    for (
      let m = new Date(start);
      m < end;
      m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
    ) {
      months.push(m);
    }
    // One site's usage per (VO, month): the same for every site of the fleet.
    const usage = [];
    for (const m of months) {
      const next = new Date(
        Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1),
      );
      for (const vo of Object.keys(registry.VO_VCPUS)) {
        if (voFilter && vo !== voFilter) continue;
        const hours = registry.usageHours(state, vo, m, next);
        if (hours > 0) usage.push({ VO: vo, DATE: monthKey(m), value: hours });
      }
    }
    const siteNames = fleet.map(s => s.gocdbName);
    const data = siteNames.flatMap(SITE => usage.map(u => ({ ...u, SITE })));
    const cells = new Map();
    const add = (key, value) => cells.set(key, (cells.get(key) ?? 0) + value);
    for (const x of data) add(`${x[rowDim]}\u0000${x[colDim]}`, x.value);
    const rowIds = [...new Set(data.map(r => r[rowDim]))].sort();
    const colIds =
      colDim === 'DATE'
        ? months.map(monthKey)
        : [...new Set(data.map(r => r[colDim]))].sort();
    const cell = (r, c) => cells.get(`${r}\u0000${c}`) ?? 0;
    const grand = data.reduce((a, x) => a + x.value, 0);
    const pct = v => (grand ? Math.round((v / grand) * 10000) / 100 : 0);
    const table = rowIds.map(r => {
      const row = Object.fromEntries(colIds.map(c => [c, cell(r, c)]));
      const total = colIds.reduce((a, c) => a + row[c], 0);
      return { ...row, id: r, Total: total, Percent: pct(total) };
    });
    const colTotals = Object.fromEntries(
      colIds.map(c => [c, rowIds.reduce((a, r) => a + cell(r, c), 0)]),
    );
    table.push({ ...colTotals, id: 'Total', Total: grand, Percent: '' });
    table.push({
      ...Object.fromEntries(
        colIds.map(c => [c, `${pct(colTotals[c]).toFixed(2)}%`]),
      ),
      id: 'Percent',
      Total: '',
      Percent: '',
    });
    table.push({
      id: 'xlegend',
      ...Object.fromEntries(rowIds.map((r, i) => [String(i), r])),
    });
    table.push({
      id: 'ylegend',
      ...Object.fromEntries([...colIds, 'id'].map((c, i) => [String(i), c])),
    });
    table.push({
      id: 'var',
      xrange: colDim,
      yrange: rowDim,
      query: 'sum_elap_processors',
    });
    return json(200, table);
  }

  return { gocdb, cloudInfo, accounting: portal, fleet, voProjects };
}
