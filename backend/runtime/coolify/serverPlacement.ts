import type { DeploySpec, RuntimeServerLoad } from '../driver';
import type { Application, CoolifyClient } from './client';
import type { CoolifyConfig } from './config';
import { CoolifyError } from './errors';
import { projectIdOf, serverOf } from './mapping';
import { memoryBytes, placeProject, serverLoads, type Placed } from './placement';

export interface ChosenServer {
  uuid: string;
  name: string;
  /** The project's application is on another server now and must be recreated on this one. */
  moved: boolean;
  /** The server it was on, when moved. */
  from?: string;
}

/** What runs where, from Coolify's own applications (their limits, and the server in their description). */
export function placedApps(apps: readonly Application[], fallbackServer: string | undefined): Placed[] {
  return apps.flatMap((a) => {
    const projectId = projectIdOf(a.description);
    const server = serverOf(a.description) ?? fallbackServer;
    if (!projectId || !server) return [];
    const cpus = Number(a.limits_cpus ?? 0) || 0;
    return [{ projectId, server, cpus, memoryBytes: memoryBytes(a.limits_memory as string | undefined) }];
  });
}

/**
 * The Coolify server a deploy goes to. One server (HANGAR_COOLIFY_SERVER_UUID): that one, as before.
 * Several (HANGAR_COOLIFY_SERVERS): each must exist and be usable in Coolify (GET /servers), and the
 * project goes where its tier fits (placement.ts), staying where it is while it fits.
 */
export async function placeOnServer(
  client: CoolifyClient,
  config: CoolifyConfig,
  apps: readonly Application[],
  spec: DeploySpec,
  signal?: AbortSignal,
): Promise<ChosenServer> {
  if (config.servers.length === 1) return { uuid: config.serverUuid, name: config.servers[0]!.name, moved: false };
  const known = new Map((await client.listServers(signal)).map((s) => [s.uuid, s]));
  for (const s of config.servers) {
    const seen = known.get(s.uuid);
    if (!seen) {
      throw new CoolifyError('coolify_config', `HANGAR_COOLIFY_SERVERS names server ${s.name} (${s.uuid}), `
        + 'which Coolify does not have. Check the uuid in Coolify (Servers) and restart the API.');
    }
  }
  const usable = config.servers.filter((s) => {
    const seen = known.get(s.uuid)!;
    return (seen.is_usable ?? seen.settings?.is_usable ?? true) !== false;
  });
  const placed = placedApps(apps, undefined);
  const need = {
    cpus: spec.tier.cpus,
    memoryBytes: memoryBytes(spec.tier.memory),
    desktop: spec.tier.imageType === 'desktop',
  };
  const r = placeProject(usable, placed, spec.projectId, need);
  if ('problem' in r) {
    throw new CoolifyError('coolify_no_capacity', `Cannot deploy: ${r.problem}. `
      + 'Free capacity (stop or delete projects), register another server in HANGAR_COOLIFY_SERVERS, '
      + 'or pick a smaller tier.');
  }
  const from = placed.find((p) => p.projectId === spec.projectId)?.server;
  const fromName = from && (config.servers.find((s) => s.uuid === from)?.name ?? from);
  const movedFrom = r.moved && fromName ? { from: fromName } : {};
  return { uuid: r.server.uuid, name: r.server.name, moved: r.moved, ...movedFrom };
}

/**
 * Every registered server with what Hangar's applications reserve on it (their limits), from one list of
 * Coolify's applications and one of its servers (a server Coolify does not have, or marks unusable, is
 * shown as not usable). With one server, applications without a server tag are on that one.
 */
export async function loadsOfServers(
  client: CoolifyClient, config: CoolifyConfig, signal?: AbortSignal,
): Promise<RuntimeServerLoad[]> {
  const [apps, known] = await Promise.all([client.listApplications(signal), client.listServers(signal)]);
  const seen = new Map(known.map((s) => [s.uuid, s]));
  const fallback = config.servers.length === 1 ? config.serverUuid : undefined;
  return serverLoads(config.servers, placedApps(apps, fallback)).map((load) => {
    const s = seen.get(load.uuid);
    return { ...load, usable: !!s && (s.is_usable ?? s.settings?.is_usable ?? true) !== false };
  });
}
