import type { Tier } from '../../contract';
import type { RuntimeState } from '../driver';
import type { EnvItem } from './client';
import type { CoolifyConfig } from './config';

/** Pure translations between Hangar's projects and Coolify's applications. */

export const AGENT_PORT = 4096;
export const VNC_PORT = 6080;

/**
 * The project id lives in the application's description, so the mapping survives an API restart
 * (and a lost database) without a column: list() reads it back from GET /applications.
 */
export function describeApp(projectId: string, serverUuid?: string): string {
  const server = serverUuid ? ` [hangar-server=${serverUuid}]` : '';
  return `Hangar agent [hangar-project=${projectId}]${server}. Managed by Hangar: deploy, stop and delete it from Hangar.`;
}

/** The server Hangar placed the application on (written by describeApp: Coolify's API does not say). */
export function serverOf(description: string | null | undefined): string | undefined {
  return /\[hangar-server=([A-Za-z0-9_-]+)\]/.exec(description ?? '')?.[1];
}

export function projectIdOf(description: string | null | undefined): string | undefined {
  return /\[hangar-project=([A-Za-z0-9_-]+)\]/.exec(description ?? '')?.[1];
}

export const appName = (slug: string) => `hangar-${slug}`;

export interface Endpoints {
  /** What Coolify's `domains` gets: each URL's port is the container port Traefik routes to. */
  domains: string;
  agentUrl: string;
  vncUrl?: string;
}

export function endpointsFor(domain: CoolifyConfig['domain'], slug: string, desktop: boolean): Endpoints {
  const agentUrl = `${domain.scheme}://${slug}.${domain.host}`;
  if (!desktop) return { domains: `${agentUrl}:${AGENT_PORT}`, agentUrl };
  const vncHttp = `${domain.scheme}://vnc-${slug}.${domain.host}`;
  return {
    domains: `${agentUrl}:${AGENT_PORT},${vncHttp}:${VNC_PORT}`,
    agentUrl,
    vncUrl: `${domain.scheme === 'https' ? 'wss' : 'ws'}://vnc-${slug}.${domain.host}`,
  };
}

/** The tier's ports with 4096 (and 6080 for desktop tiers) always present, in a stable order. */
export function portsFor(tier: Tier): string {
  const ports = new Set(tier.exposedPorts.split(',').map(Number));
  ports.add(AGENT_PORT);
  if (tier.imageType === 'desktop' || tier.hasDesktopAccess) ports.add(VNC_PORT);
  return [AGENT_PORT, ...[...ports].filter((p) => p !== AGENT_PORT).sort((a, b) => a - b)].join(',');
}

/** Coolify interpolates `$NAME` in values unless the variable is literal. */
export function envItems(env: Record<string, string>): EnvItem[] {
  return Object.entries(env).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({
    key,
    value,
    ...(value.includes('$') ? { is_literal: true } : {}),
    ...(value.includes('\n') ? { is_multiline: true } : {}),
  }));
}

/**
 * Coolify's `status` is "<state>:<health>" (running:healthy, exited:unhealthy, degraded:unhealthy,
 * restarting:..., starting:...), refreshed by a background job. Coolify cannot tell a stop from a
 * crash: `stoppedByHangar` says which one this process asked for.
 */
export function stateOf(status: string | null | undefined, stoppedByHangar: boolean): { state: RuntimeState; reason?: string } {
  const s = (status ?? '').toLowerCase();
  const [phase = '', health = ''] = s.split(':');
  switch (phase) {
    case 'running':
      return health === 'unhealthy' ? { state: 'running', reason: 'Coolify reports the container as unhealthy.' } : { state: 'running' };
    case 'degraded':
      return { state: 'running', reason: `Coolify reports the application as degraded (${s}).` };
    case 'starting':
    case 'restarting':
      return { state: 'starting', reason: `Coolify reports ${s}.` };
    case 'created':
    case '':
      return { state: 'created', reason: 'Created in Coolify, never deployed.' };
    case 'exited':
    case 'stopped':
      return stoppedByHangar ? { state: 'stopped' } : { state: 'exited', reason: `Coolify reports ${s}: the container is not running.` };
    default:
      return { state: 'exited', reason: `Coolify reports an unknown status "${s}".` };
  }
}

/** Lines in `next` that were not in `prev`, when both are the tail of the same growing log. */
export function newLogLines(prev: string[], next: string[]): string[] {
  for (let start = 0; start < prev.length; start++) {
    const overlap = prev.length - start;
    if (overlap > next.length) continue;
    let same = true;
    for (let i = 0; i < overlap && same; i++) same = prev[start + i] === next[i];
    if (same) return next.slice(overlap);
  }
  return next;
}

/** The last visible lines of a deployment's log (Coolify stores it as a JSON array of entries). */
export function deploymentLogTail(logs: string | null | undefined, n: number): string[] {
  if (!logs) return [];
  try {
    const entries = JSON.parse(logs) as { output?: unknown; hidden?: unknown }[];
    if (Array.isArray(entries)) {
      return entries.filter((e) => e && e.hidden !== true && typeof e.output === 'string').flatMap((e) => String(e.output).split('\n')).filter(Boolean).slice(-n);
    }
  } catch {
    // Not JSON: older Coolify versions keep plain text.
  }
  return logs.split('\n').filter(Boolean).slice(-n);
}

/** Agent and VNC URLs back from Coolify's `fqdn` ("https://s.d:4096,https://vnc-s.d:6080"). */
export function endpointsFromFqdn(fqdn: string | null | undefined): Partial<Endpoints> {
  const out: Partial<Endpoints> = {};
  for (const raw of (fqdn ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      continue;
    }
    if (u.port === '6080' || u.hostname.startsWith('vnc-')) out.vncUrl ??= `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.hostname}`;
    else out.agentUrl ??= `${u.protocol}//${u.hostname}`;
  }
  return out;
}
