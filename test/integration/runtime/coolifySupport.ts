import type { Tier } from '../../../backend/contract';
import type { DeploySpec } from '../../../backend/runtime/driver';
import { CoolifyDriver, type CoolifyDriverOptions } from '../../../backend/runtime/coolify/coolifyDriver';
import { loadCoolifyConfig } from '../../../backend/runtime/coolify/config';
import type { CoolifyContractServer } from '../../fixtures/coolify/server';

export const DOMAIN = 'agents.test';

export function tier(over: Partial<Tier> = {}): Tier {
  return {
    id: 'standard',
    name: 'Standard',
    description: '',
    cpus: 2,
    memory: '4g',
    memoryReservation: '1g',
    storageGb: 20,
    hasDesktopAccess: false,
    imageType: 'cli',
    exposedPorts: '4096',
    isDefault: true,
    retired: false,
    projectCount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

export const desktopTier = () => tier({ id: 'desktop', name: 'Desktop', hasDesktopAccess: true, imageType: 'desktop', exposedPorts: '4096,6080' });

export function spec(over: Partial<DeploySpec> = {}): DeploySpec {
  return {
    projectId: 'prj_alpha01',
    slug: 'alpha',
    tier: tier(),
    env: { OPENCODE_SERVER_PASSWORD: 'pw-1', OPENCODE_AUTH_CONTENT: '{"openai":{"type":"api","key":"sk-$abc"}}' },
    force: false,
    ...over,
  };
}

export function envFor(server: CoolifyContractServer, over: Record<string, string> = {}): Record<string, string> {
  return {
    HANGAR_COOLIFY_URL: server.url,
    HANGAR_COOLIFY_TOKEN: server.token,
    HANGAR_COOLIFY_SERVER_UUID: server.serverUuid,
    HANGAR_COOLIFY_PROJECT_UUID: server.projectUuid,
    HANGAR_COOLIFY_ENVIRONMENT: server.environmentName,
    HANGAR_COOLIFY_DOMAIN: DOMAIN,
    HANGAR_COOLIFY_IMAGE: 'ghcr.io/hangar-dev/agent:1.18.33',
    HANGAR_COOLIFY_DESKTOP_IMAGE: 'ghcr.io/hangar-dev/agent-desktop:1.18.33',
    ...over,
  };
}

/** Fast polling so a whole lifecycle runs in about a second against the contract server. */
export const FAST: CoolifyDriverOptions = {
  pollMs: 15,
  deployTimeoutMs: 5_000,
  runningTimeoutMs: 2_000,
  stopTimeoutMs: 2_000,
  watchIntervalMs: 40,
  logPollMs: 25,
  maxRetries: 2,
  maxRetryWaitMs: 3_000,
};

export function driverFor(server: CoolifyContractServer, over: Record<string, string> = {}, options: CoolifyDriverOptions = {}): CoolifyDriver {
  return new CoolifyDriver(loadCoolifyConfig(envFor(server, over)), { ...FAST, ...options });
}

export function progressLog(): { messages: string[]; progress: (m: string) => void } {
  const messages: string[] = [];
  return { messages, progress: (m) => messages.push(m) };
}

/** "METHOD /path" of each recorded request, without the /api/v1 prefix, consecutive duplicates folded. */
export function calls(server: CoolifyContractServer, from = 0): string[] {
  const out: string[] = [];
  for (const r of server.requests.slice(from)) {
    const line = `${r.method} ${r.path.replace(/^\/api\/v1/, '').replace(/[0-9a-f]{24}/g, ':uuid')}`;
    if (out.at(-1) !== line) out.push(line);
  }
  return out;
}

export const never = () => new AbortController().signal;
