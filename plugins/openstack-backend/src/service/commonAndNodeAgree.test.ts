import { z } from 'zod';
import {
  CONSOLE_MAX_LINE_LENGTH as wireFormatLimit,
  usageTotalsSchema as restUsageTotals,
} from '@fedstack/plugin-openstack-common';
import {
  CONSOLE_MAX_LINE_LENGTH as parserLimit,
  usageTotalsSchema as sampledUsageTotals,
} from '@fedstack/plugin-openstack-node';

// A few things are stated in both packages: the browser cannot load the node library, and the
// node library imports nothing of Backstage's. The backend, which loads both, keeps them equal.
describe('the common package and the node library', () => {
  it('agree on the console’s longest line', () => {
    expect(wireFormatLimit).toBe(parserLimit);
  });

  it('agree on the usage totals the metering job samples and the REST API serves', () => {
    expect(z.toJSONSchema(restUsageTotals)).toEqual(
      z.toJSONSchema(sampledUsageTotals),
    );
  });
});
