import os from 'node:os';

/** The part of `GET /networks/bridge` that names the host's address on docker's default bridge. */
export interface BridgeNetwork {
  IPAM?: { Config?: Array<{ Gateway?: string; Subnet?: string }> | null } | null;
  Options?: Record<string, string> | null;
}

type Interfaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';

export class BridgeGatewayError extends Error {
  override name = 'BridgeGatewayError';
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function inSubnet(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!base || !IPV4.test(base) || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ipv4ToInt(ip) / size) === Math.floor(ipv4ToInt(base) / size);
}

/**
 * The host's IPv4 address on docker's default bridge: IPAM's Gateway when the engine reports it,
 * else the IPv4 address of the bridge's host interface (docker0, or the name in the network's
 * options) inside IPAM's subnet. Right after a new dockerd starts, IPAM's Gateway can be missing
 * while the interface already has its address. Undefined when neither is known (yet).
 */
export function gatewayOf(net: BridgeNetwork, interfaces: Interfaces = os.networkInterfaces()): string | undefined {
  const configs = net.IPAM?.Config ?? [];
  const reported = configs.find((c) => c.Gateway && IPV4.test(c.Gateway))?.Gateway;
  if (reported) return reported;
  const ifname = net.Options?.[BRIDGE_NAME_OPTION] || 'docker0';
  const subnets = configs.map((c) => c.Subnet).filter((s): s is string => !!s && IPV4.test(s.split('/')[0] ?? ''));
  const addresses = (interfaces[ifname] ?? []).filter((a) => a.family === 'IPv4' && IPV4.test(a.address));
  return addresses.find((a) => subnets.length === 0 || subnets.some((s) => inSubnet(a.address, s)))?.address;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  interfaces?: () => Interfaces;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Reads the default bridge's gateway, asking again (bounded) while a freshly started engine has not
 * filled it in yet. Never resolves to undefined: an engine that cannot be asked fails at once, and a
 * bridge without an IPv4 gateway after `timeoutMs` fails with a message that says what to set instead.
 */
export async function waitForBridgeGateway(inspect: () => Promise<BridgeNetwork>, opts: WaitOptions = {}): Promise<string> {
  const {
    timeoutMs = 10_000, intervalMs = 250, interfaces = () => os.networkInterfaces(),
    sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now = () => Date.now(),
  } = opts;
  const deadline = now() + timeoutMs;
  let last: BridgeNetwork | undefined;
  for (;;) {
    try {
      last = await inspect();
    } catch (err) {
      throw new BridgeGatewayError(`cannot read docker's default bridge network: ${(err as Error).message}`, { cause: err });
    }
    const gateway = gatewayOf(last, interfaces());
    if (gateway) return gateway;
    if (now() >= deadline) break;
    await sleep(intervalMs);
  }
  const ifname = last?.Options?.[BRIDGE_NAME_OPTION] || 'docker0';
  throw new BridgeGatewayError(
    `docker's default bridge has no IPv4 gateway after ${Math.round(timeoutMs / 1000)} s ` +
    `(IPAM config ${JSON.stringify(last?.IPAM?.Config ?? [])}, no IPv4 address on ${ifname}): containers cannot reach this host. ` +
    'Set HANGAR_WEBHOOK_URL to an address containers reach, or HANGAR_HOST=0.0.0.0 (firewalled).');
}
