import dns from 'node:dns';
import net from 'node:net';

/**
 * Which addresses the client may connect to. Sites are reached at the URLs their Keystone and
 * catalog name, and a hostile or broken catalog could name anything: the cloud metadata
 * service, the backend's own network. The policy refuses those before any connection: link-local
 * addresses (169.254.0.0/16, fe80::/10, where metadata services live) and "this host" ranges
 * always, plus configured deny ranges; with an allow list, only addresses in it.
 * Names are checked after resolution, on the address actually connected to, so DNS cannot
 * rebind a checked name to a refused address.
 */

export const ALWAYS_DENIED = [
  '169.254.0.0/16',
  'fe80::/10',
  '0.0.0.0/8',
  'fd00:ec2::254/128',
];

export interface AddressPolicyOptions {
  /** CIDR ranges that may be reached; any address when absent. */
  allow?: string[];
  /** CIDR ranges that may not be reached, over the ones always denied. */
  deny?: string[];
  /**
   * Resolves a name to its addresses; by default the system's resolver (`dns.lookup`, so
   * /etc/hosts counts). Family 0 means any. Tests use it to point at their own DNS server.
   */
  resolver?: AddressResolver;
}

export type AddressResolver = (
  hostname: string,
  family: 0 | 4 | 6,
) => Promise<Array<{ address: string; family: number }>>;

// Agents pass the family as 4, 6, 'IPv4', 'IPv6' or not at all.
function familyOf(family: unknown): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/** The ranges of a policy that are not IP ranges (for configuration errors). */
export function invalidRanges(options: AddressPolicyOptions): string[] {
  return [...(options.allow ?? []), ...(options.deny ?? [])].filter(range => {
    const [address, prefix] = range.split('/');
    const max = net.isIPv6(address) ? 128 : 32;
    return (
      !net.isIP(address) ||
      (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= max))
    );
  });
}

// `net.isIPv6` builds a large regular expression on its first call (~4 ms, before a scan's first
// request); an address with a colon is IPv6 when it is an address at all, and BlockList and
// `net.isIP` (IPv4 first) tell whether it is.
const familyOfAddress = (address: string) =>
  address.includes(':') ? 'ipv6' : 'ipv4';

function blockListOf(ranges: string[]): net.BlockList {
  const list = new net.BlockList();
  for (const range of ranges) {
    const [address, prefix] = range.split('/');
    const family = familyOfAddress(address);
    const hostBits = family === 'ipv6' ? 128 : 32;
    try {
      list.addSubnet(
        address,
        prefix === undefined ? hostBits : Number(prefix),
        family,
      );
    } catch {
      throw new Error(`not an IP range: ${range}`);
    }
  }
  return list;
}

export class AddressPolicy {
  private readonly denied: net.BlockList;
  private readonly allowed?: net.BlockList;
  private readonly resolver?: AddressResolver;

  constructor(options: AddressPolicyOptions = {}) {
    this.denied = blockListOf([...ALWAYS_DENIED, ...(options.deny ?? [])]);
    this.allowed = options.allow ? blockListOf(options.allow) : undefined;
    this.resolver = options.resolver;
  }

  /** Why an address may not be reached, or undefined when it may. */
  refusal(address: string): string | undefined {
    const family = familyOfAddress(address);
    if (this.denied.check(address, family)) {
      return `${address} is in a denied range`;
    }
    if (this.allowed && !this.allowed.check(address, family)) {
      return `${address} is not in an allowed range`;
    }
    return undefined;
  }

  /** A `lookup` for http agents: resolves, then keeps only the addresses the policy allows. */
  lookup: net.LookupFunction = (hostname, options, callback) => {
    // Without a resolver, getaddrinfo with the agent's own options (hints), as before.
    const resolved = this.resolver
      ? this.resolver(hostname, familyOf(options.family))
      : dns.promises.lookup(hostname, { ...options, all: true });
    resolved.then(
      list => {
        if (list.length === 0) {
          const none = Object.assign(new Error(`${hostname} has no address`), {
            code: 'ENOTFOUND',
          });
          callback(none, '', 4);
          return;
        }
        const usable = list.filter(a => !this.refusal(a.address));
        if (usable.length === 0) {
          const refused = Object.assign(
            new Error(
              `refused to connect to ${hostname}: ${list
                .map(a => this.refusal(a.address))
                .join('; ')}`,
            ),
            { code: 'EADDRNOTALLOWED' },
          );
          callback(refused, '', 4);
          return;
        }
        if ((options as dns.LookupOptions).all) {
          (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(
            null,
            usable,
          );
        } else {
          callback(null, usable[0].address, usable[0].family);
        }
      },
      error => callback(error, '', 4),
    );
  };
}
