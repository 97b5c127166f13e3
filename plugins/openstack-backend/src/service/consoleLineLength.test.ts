import { CONSOLE_MAX_LINE_LENGTH as wireFormatLimit } from '@fedstack/plugin-openstack-common';
import { CONSOLE_MAX_LINE_LENGTH as parserLimit } from '@fedstack/plugin-openstack-node';

// Two packages state the limit (the browser cannot load the node library, and the node library
// imports nothing of Backstage's); the backend, which loads both, keeps them equal.
it('the console wire format and its parser agree on the longest line', () => {
  expect(wireFormatLimit).toBe(parserLimit);
});
