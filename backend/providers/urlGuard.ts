import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { HttpError } from '../errors';

/** Loopback, private, link-local, CGNAT, multicast and reserved ranges: never the address of a model provider. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return PRIVATE.check(ip, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    return mapped ? PRIVATE.check(mapped[1]!, 'ipv4') : PRIVATE.check(ip, 'ipv6');
  }
  return true;
}

export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Provider URLs (custom base URLs, the connection test) must not reach loopback, private or
 * link-local addresses, checked after DNS resolution, unless the admin allow-lists the host in
 * HANGAR_ALLOW_PRIVATE_HOSTS (a name, an IP, a CIDR, or `*`), e.g. for a local model server.
 */
export class PrivateHostGuard {
  private readonly allowed = new BlockList();
  private readonly allowedNames = new Set<string>();
  private readonly allowAll: boolean;

  constructor(allow: readonly string[], private readonly resolve: Resolve = resolveAll) {
    this.allowAll = allow.includes('*');
    for (const entry of allow) {
      const [net, bits] = entry.split('/');
      const family = isIP(net ?? '');
      if (family && bits !== undefined) this.allowed.addSubnet(net!, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
      else if (family) this.allowed.addAddress(net!, family === 4 ? 'ipv4' : 'ipv6');
      else this.allowedNames.add(entry.toLowerCase());
    }
  }

  /**
   * 400 `private_address` when `url`'s host is or resolves to a private address not allow-listed.
   * `unresolvable`: what to do with a name this host cannot resolve (the agent's network may).
   */
  async check(url: string, unresolvable: 'allow' | 'refuse' = 'refuse'): Promise<void> {
    if (this.allowAll) return;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.allowedNames.has(host)) return;
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = await this.resolve(host);
      } catch {
        if (unresolvable === 'allow' && host !== 'localhost' && !host.endsWith('.localhost')) return;
        throw new HttpError(400, 'unresolvable_host', `${host} does not resolve from the API, so it cannot be checked or reached.`);
      }
    }
    for (const ip of addresses) {
      if (!isPrivateAddress(ip) || this.isAllowed(ip)) continue;
      throw new HttpError(400, 'private_address',
        `${host} is (or resolves to) ${ip}, a loopback, private or link-local address, which provider URLs may not name. An administrator can allow it with HANGAR_ALLOW_PRIVATE_HOSTS=${host}.`);
    }
  }

  private isAllowed(ip: string): boolean {
    const family = isIP(ip);
    return family === 4 ? this.allowed.check(ip, 'ipv4') : family === 6 ? this.allowed.check(ip, 'ipv6') : false;
  }
}
