import { z } from 'zod';
import { ConfigError, type EnvSection } from '../../config';
import { memoryBytes, type CoolifyServer } from './placement';

/** The coolify runtime's settings, read from the environment once when that runtime is selected. */
export interface CoolifyConfig {
  /** Instance root, without /api/v1 and without a trailing slash. */
  url: string;
  /** `<id>|<secret>` as Coolify shows it. A secret: never logged, never in an error message. */
  token: string;
  /** The server of a single-server setup (HANGAR_COOLIFY_SERVER_UUID), or the first of `servers`. */
  serverUuid: string;
  /** Every server agents may run on, with its capacity (HANGAR_COOLIFY_SERVERS); one unbounded server otherwise. */
  servers: CoolifyServer[];
  projectUuid: string;
  environment: { name: string } | { uuid: string };
  /** Applications are reachable at <scheme>://<slug>.<domain> (and vnc-<slug>.<domain>). */
  domain: { scheme: 'https' | 'http'; host: string };
  image: ImageRef;
  desktopImage?: ImageRef;
}

export interface ImageRef {
  name: string;
  tag: string;
}

const uuid = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a Coolify uuid (letters, digits, dashes), as shown in Coolify\'s URL bar');
const image = z.string().trim().regex(/^[a-z0-9]+([._/:-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/, 'an image reference like ghcr.io/acme/hangar-agent:1.0 (no digest)');

/** `^\S{8,}$`: what a Coolify token looks like (also checked by `hangar-api coolify set-token`). */
export const COOLIFY_TOKEN_PATTERN = /^\S{8,}$/;

const CoolifyEnv = z.object({
  HANGAR_COOLIFY_URL: z.string().trim().regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'the instance URL, like https://coolify.example.com'),
  HANGAR_COOLIFY_TOKEN: z.string().trim().regex(COOLIFY_TOKEN_PATTERN, 'an API token from Coolify (Keys & Tokens → API tokens), with read, write and deploy permissions'),
  HANGAR_COOLIFY_SERVER_UUID: uuid.optional(),
  HANGAR_COOLIFY_SERVERS: z.string().trim().optional(),
  HANGAR_COOLIFY_PROJECT_UUID: uuid,
  HANGAR_COOLIFY_ENVIRONMENT: z.string().trim().regex(/^(uuid:)?[A-Za-z0-9_.-]{1,64}$/, 'an environment name like "production", or uuid:<environment uuid>').default('production'),
  HANGAR_COOLIFY_DOMAIN: z.string().trim().toLowerCase().regex(/^(https?:\/\/)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$/, 'a base domain like agents.example.com whose wildcard (*.agents.example.com) points at the Coolify server'),
  HANGAR_COOLIFY_IMAGE: image,
  HANGAR_COOLIFY_DESKTOP_IMAGE: image.optional(),
});

/**
 * Parses the coolify settings; throws a ConfigError whose one-line message names the variable.
 * `stored.token` (from the database, `hangar-api coolify set-token`) wins over HANGAR_COOLIFY_TOKEN.
 */
export function loadCoolifyConfig(env: EnvSection, stored: { token?: string } = {}): CoolifyConfig {
  const merged = stored.token !== undefined ? { ...env, HANGAR_COOLIFY_TOKEN: stored.token } : env;
  const parsed = CoolifyEnv.safeParse(blankToUndefined(merged));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'HANGAR_COOLIFY_URL');
    const value = merged[name];
    const shown = value === undefined || value.trim() === '' ? ' is missing' : `=${JSON.stringify(name === 'HANGAR_COOLIFY_TOKEN' ? '<redacted>' : value)} is invalid`;
    const why = value === undefined || value.trim() === '' ? `needed by HANGAR_RUNTIME=coolify: ${describe(name)}` : (issue?.message ?? 'bad value');
    throw new ConfigError(`${name}${shown}: ${why}`);
  }
  const e = parsed.data;
  const servers = parseServers(e.HANGAR_COOLIFY_SERVERS, e.HANGAR_COOLIFY_SERVER_UUID);
  const domainMatch = /^(https?):\/\/(.*)$/.exec(e.HANGAR_COOLIFY_DOMAIN);
  return {
    url: e.HANGAR_COOLIFY_URL.replace(/\/+$/, '').replace(/\/api\/v1$/, ''),
    token: e.HANGAR_COOLIFY_TOKEN,
    serverUuid: servers[0]!.uuid,
    servers,
    projectUuid: e.HANGAR_COOLIFY_PROJECT_UUID,
    environment: e.HANGAR_COOLIFY_ENVIRONMENT.startsWith('uuid:') ? { uuid: e.HANGAR_COOLIFY_ENVIRONMENT.slice(5) } : { name: e.HANGAR_COOLIFY_ENVIRONMENT },
    domain: domainMatch ? { scheme: domainMatch[1] as 'http' | 'https', host: domainMatch[2] ?? '' } : { scheme: 'https', host: e.HANGAR_COOLIFY_DOMAIN },
    image: parseImage(e.HANGAR_COOLIFY_IMAGE),
    ...(e.HANGAR_COOLIFY_DESKTOP_IMAGE ? { desktopImage: parseImage(e.HANGAR_COOLIFY_DESKTOP_IMAGE) } : {}),
  };
}

const ServerList = z.array(z.strictObject({
  uuid,
  name: z.string().trim().min(1).max(100).optional(),
  cpus: z.number().positive().max(4096),
  memory: z.string().trim().regex(/^[1-9][0-9]*[mg]$/, 'a size like "64g" or "512m"'),
  desktop: z.boolean().default(false),
})).min(1).max(1000);

/**
 * HANGAR_COOLIFY_SERVERS: `[{"uuid":"…","name":"eu-1","cpus":16,"memory":"64g","desktop":true}]`, the
 * servers deploys are placed on (backend/runtime/coolify/placement.ts). Without it: the one server of
 * HANGAR_COOLIFY_SERVER_UUID, with no capacity limit (as before servers had capacities).
 */
function parseServers(raw: string | undefined, single: string | undefined): CoolifyServer[] {
  if (!raw) {
    if (!single) throw new ConfigError(`HANGAR_COOLIFY_SERVER_UUID is missing: needed by HANGAR_RUNTIME=coolify: ${describe('HANGAR_COOLIFY_SERVER_UUID')}`);
    return [{ uuid: single, name: single, cpus: Number.POSITIVE_INFINITY, memoryBytes: Number.POSITIVE_INFINITY, desktop: true }];
  }
  let json: unknown;
  try { json = JSON.parse(raw); } catch { throw new ConfigError('HANGAR_COOLIFY_SERVERS is invalid: not JSON (expected [{"uuid","cpus","memory","desktop"?,"name"?}])'); }
  const parsed = ServerList.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`HANGAR_COOLIFY_SERVERS is invalid at ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'bad value'}`);
  }
  const uuids = parsed.data.map((s) => s.uuid);
  if (new Set(uuids).size !== uuids.length) throw new ConfigError('HANGAR_COOLIFY_SERVERS is invalid: a server uuid is listed twice');
  return parsed.data.map((s) => ({ uuid: s.uuid, name: s.name ?? s.uuid, cpus: s.cpus, memoryBytes: memoryBytes(s.memory), desktop: s.desktop }));
}

/** "ghcr.io/acme/agent:1.2" → {name: "ghcr.io/acme/agent", tag: "1.2"}; a registry port is not a tag. */
export function parseImage(ref: string): ImageRef {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { name: ref, tag: 'latest' };
}

function describe(name: string): string {
  switch (name) {
    case 'HANGAR_COOLIFY_URL': return 'the Coolify instance URL, like https://coolify.example.com';
    case 'HANGAR_COOLIFY_TOKEN': return 'an API token from Coolify (Keys & Tokens → API tokens) with read, write and deploy permissions; store it encrypted with `hangar-api coolify set-token` (reads it from stdin), or set HANGAR_COOLIFY_TOKEN where secrets are injected as environment (containers, CI)';
    case 'HANGAR_COOLIFY_SERVER_UUID': return 'the uuid of the Coolify server that runs the agents (or HANGAR_COOLIFY_SERVERS: several servers with their capacity)';
    case 'HANGAR_COOLIFY_PROJECT_UUID': return 'the uuid of the Coolify project the agents go in';
    case 'HANGAR_COOLIFY_DOMAIN': return 'the base domain; each agent gets https://<slug>.<domain>';
    case 'HANGAR_COOLIFY_IMAGE': return 'the agent image Coolify pulls, like ghcr.io/acme/hangar-agent:1.0';
    default: return 'see the Coolify section of the README';
  }
}

function blankToUndefined(env: EnvSection): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === undefined || v.trim() === '' ? undefined : v]));
}
