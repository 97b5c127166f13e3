/**
 * The fedstack OpenStack plugins' vocabulary, stated once: check statuses, severities and areas,
 * profile ids and scores, readiness, usage totals, the console's line limit. Free of Backstage,
 * so the node library and the common package (and through it the browser) import the same terms.
 *
 * @packageDocumentation
 */
export * from './checks';
export * from './profiles';
export * from './metering';
export * from './console';
