/**
 * Placement across Coolify servers (issue #19): each server registered with its capacity
 * (HANGAR_COOLIFY_SERVERS), and each deploy put on a server that fits its tier. Pure: the driver
 * reads what runs where from Coolify itself (each application's limits and the server named in
 * its description) and asks here.
 */
import type { RuntimeServerLoad } from '../driver';

export interface CoolifyServer {
  uuid: string;
  /** For people: shown in the project's details and in progress messages. */
  name: string;
  cpus: number;
  memoryBytes: number;
  /** Can run the desktop image (a display stack, more memory). */
  desktop: boolean;
}

export interface Need {
  cpus: number;
  memoryBytes: number;
  desktop: boolean;
}

/** One application's reservation on a server. */
export interface Placed {
  projectId: string;
  server: string;
  cpus: number;
  memoryBytes: number;
}

export type Placement = { server: CoolifyServer; moved: boolean } | { problem: string };

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Coolify's memory strings: "4g", "512m", "1073741824" (bytes); 0 or junk: 0. */
export function memoryBytes(size: string | null | undefined): number {
  const m = /^([0-9]+)([bkmg]?)$/i.exec((size ?? '').trim());
  return m ? Number(m[1]) * UNITS[(m[2] || 'b').toLowerCase()]! : 0;
}

const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1).replace(/\.0$/, '')} GiB`;

/** What each server has left, leaving out the project being placed (its own reservation moves with it). */
export function freeCapacity(
  servers: readonly CoolifyServer[],
  placed: readonly Placed[],
  exceptProject?: string,
): Map<string, { cpus: number; memoryBytes: number }> {
  const free = new Map(servers.map((s) => [s.uuid, { cpus: s.cpus, memoryBytes: s.memoryBytes }]));
  for (const p of placed) {
    if (p.projectId === exceptProject) continue;
    const f = free.get(p.server);
    if (!f) continue;
    f.cpus -= p.cpus;
    f.memoryBytes -= p.memoryBytes;
  }
  return free;
}

/**
 * The server for a project: where it runs now if that still fits (no move), otherwise the fitting
 * server with the most memory left (then CPU). None fits: a problem that says why, per server.
 */
export function placeProject(
  servers: readonly CoolifyServer[],
  placed: readonly Placed[],
  projectId: string,
  need: Need,
): Placement {
  if (!servers.length) return { problem: 'no Coolify server is registered (HANGAR_COOLIFY_SERVERS)' };
  const free = freeCapacity(servers, placed, projectId);
  const current = placed.find((p) => p.projectId === projectId)?.server;
  const why = new Map<string, string>();
  const fits = (s: CoolifyServer): boolean => {
    const f = free.get(s.uuid)!;
    if (need.desktop && !s.desktop) why.set(s.uuid, 'cannot run the desktop image');
    else if (f.cpus < need.cpus) why.set(s.uuid, `${f.cpus} of ${s.cpus} CPU free, ${need.cpus} needed`);
    else if (f.memoryBytes < need.memoryBytes) {
      why.set(s.uuid, `${gib(f.memoryBytes)} of ${gib(s.memoryBytes)} free, ${gib(need.memoryBytes)} needed`);
    }
    else return true;
    return false;
  };
  const fitting = servers.filter(fits);
  const stay = fitting.find((s) => s.uuid === current);
  if (stay) return { server: stay, moved: false };
  const left = (s: CoolifyServer) => free.get(s.uuid)!;
  const best = [...fitting].sort((a, b) => left(b).memoryBytes - left(a).memoryBytes || left(b).cpus - left(a).cpus)[0];
  if (best) return { server: best, moved: current !== undefined };
  const tier = `${need.cpus} CPU, ${gib(need.memoryBytes)}${need.desktop ? ', desktop' : ''}`;
  const perServer = servers.map((s) => `${s.name}: ${why.get(s.uuid)}`).join('; ');
  return { problem: `no Coolify server fits this tier (${tier}): ${perServer}` };
}

/** Each registered server with the reservations of the applications placed on it (others' are left out). */
export function serverLoads(
  servers: readonly CoolifyServer[], placed: readonly Placed[],
): Omit<RuntimeServerLoad, 'usable'>[] {
  return servers.map((s) => {
    const here = placed.filter((p) => p.server === s.uuid);
    return {
      uuid: s.uuid, name: s.name, desktop: s.desktop,
      capacity: { cpus: s.cpus, memoryBytes: s.memoryBytes },
      used: { cpus: here.reduce((n, p) => n + p.cpus, 0), memoryBytes: here.reduce((n, p) => n + p.memoryBytes, 0) },
      projects: here.length,
    };
  });
}
