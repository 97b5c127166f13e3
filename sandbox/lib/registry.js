'use strict';
// What the sandbox's stand-ins for EGI's central services say about the two sites: GOCDB's
// registration, the cloud information system's publication, the accounting portal's and cASO's
// records. One place for sandbox/registry-stand-ins (which serves it) and sandbox/verify (which
// checks it); the defects of site-b change it (sandbox/defects.json, "standIn" entries).
const fs = require('fs');
const path = require('path');
const { SANDBOX_DIR } = require('./openstack');
const site = require('./site');

const PORTS = { gocdb: 8301, cloudInfo: 8302, accounting: 8303 };
const URLS = {
  gocdb: `http://127.0.0.1:${PORTS.gocdb}/gocdbpi/public/`,
  cloudInfo: `http://127.0.0.1:${PORTS.cloudInfo}/`,
  accounting: `http://127.0.0.1:${PORTS.accounting}/`,
  casoSpool: `http://127.0.0.1:${PORTS.accounting}/caso/`,
};

// GOCDB's view of the sites: ids in GOCDB's style (<n>G0), one nova and one accounting service
// each, as EGI's federation registers them.
const SITES = {
  a: {
    letter: 'a',
    gocdbName: 'SANDBOX-SITE-A',
    siteKey: '9001G0',
    siteId: 9001,
    keystoneUrl: site.SITES.a.keystoneUrl,
    hostname: '127.0.0.1',
    novaKey: '9101G0',
    accountingKey: '9102G0',
    endpointId: 9201,
  },
  b: {
    letter: 'b',
    gocdbName: 'SANDBOX-SITE-B',
    siteKey: '9002G0',
    siteId: 9002,
    keystoneUrl: site.SITES.b.keystoneUrl,
    hostname: '127.0.0.2',
    novaKey: '9103G0',
    accountingKey: '9104G0',
    endpointId: 9202,
  },
};

// defect gocdb-url-mismatch: GOCDB names Keystone's old admin port, not the public URL.
const MISMATCHED_URL = 'http://127.0.0.2:35357/v3';

// The VOs each site serves and the vCPUs each one keeps running (accounted CPU hours per hour).
const VO_VCPUS = { ops: 1, 'vo.access.egi.eu': 8 };
// How far back the records go (the portal is asked for up to 12 months back).
const HISTORY_MONTHS = 14;
const DAY_MS = 24 * 3600 * 1000;

/** The default defect list (`seed --defects all`): every defect not marked variantOnly. */
function defaultDefects() {
  return site.DEFECTS.filter(d => !d.variantOnly).map(d => d.id);
}

/** site-b's applied defects, read now: re-seeding switches the stand-ins without a restart. */
function appliedDefects(letter) {
  if (letter !== 'b') return [];
  const file = path.join(SANDBOX_DIR, 'site-b-defects.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')).defects;
  } catch (error) {
    if (error.code === 'ENOENT') return defaultDefects();
    throw new Error(`cannot read ${file}: ${error.message}`);
  }
}

/**
 * When site-b was last seeded (the applied defects file's mtime; 0 before any seed, and for
 * site-a): what the stand-ins read from its Keystone is stale after a seed, even one that
 * applied the same defects again (projects deleted and created anew have new ids).
 */
function seededAt(letter) {
  if (letter !== 'b') return 0;
  try {
    return fs.statSync(path.join(SANDBOX_DIR, 'site-b-defects.json')).mtimeMs;
  } catch {
    return 0;
  }
}

/** The last month's end (UTC midnight starting the next month) at or before `date`. */
function lastMonthEndBefore(date) {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** Registration and records of one site at `now`, given its applied defects. */
function siteState(letter, now = new Date(), defects = appliedDefects(letter)) {
  const s = SITES[letter];
  const has = id => defects.includes(id);
  const novaUrl = has('gocdb-url-mismatch') ? MISMATCHED_URL : s.keystoneUrl;
  const production = !has('gocdb-not-production');
  let lastRecord = now;
  // The portal sums by month, and its reader gives a month's records the benefit of the doubt
  // (dated the month's end): records stop at the end of the last month that ended 40 or more
  // days ago, so that every source, on any day of the month, sees them 40+ days old.
  if (has('accounting-40-days'))
    lastRecord = lastMonthEndBefore(new Date(now.getTime() - 40 * DAY_MS));
  if (has('accounting-10-days'))
    lastRecord = new Date(now.getTime() - 10 * DAY_MS);
  const recordedVos = Object.keys(VO_VCPUS).filter(
    vo => !(vo === 'vo.access.egi.eu' && has('accounting-vo-unrecorded')),
  );
  return {
    ...s,
    defects,
    gocdb: {
      services: [
        {
          key: s.novaKey,
          hostname: s.hostname,
          type: 'org.openstack.nova',
          url: novaUrl,
          production,
          monitored: production,
          endpoints: [
            {
              id: s.endpointId,
              name: `${s.gocdbName} Keystone`,
              url: novaUrl,
              interfaceName: 'org.openstack.nova',
              monitored: production,
            },
          ],
        },
        {
          key: s.accountingKey,
          hostname: s.hostname,
          type: 'eu.egi.cloud.accounting',
          url: '',
          production: true,
          monitored: true,
          endpoints: [],
        },
      ],
    },
    published: !has('info-not-published'),
    accounting: {
      // cASO runs hourly (cron): its last run is within the hour; records reach APEL with it.
      lastRun:
        lastRecord === now
          ? new Date(now.getTime() - 20 * 60 * 1000)
          : lastRecord,
      lastRecord,
      since: new Date(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - HISTORY_MONTHS, 1),
      ),
      recordedVos,
    },
  };
}

/** CPU hours of one VO of a site within [start, end): its vCPUs over the time it has records. */
function usageHours(state, vo, start, end) {
  if (!state.accounting.recordedVos.includes(vo)) return 0;
  const from = Math.max(start.getTime(), state.accounting.since.getTime());
  const to = Math.min(end.getTime(), state.accounting.lastRecord.getTime());
  if (to <= from) return 0;
  return Math.round(((to - from) / 3600000) * VO_VCPUS[vo]);
}

module.exports = {
  PORTS,
  URLS,
  SITES,
  VO_VCPUS,
  MISMATCHED_URL,
  DAY_MS,
  lastMonthEndBefore,
  defaultDefects,
  appliedDefects,
  seededAt,
  siteState,
  usageHours,
};
