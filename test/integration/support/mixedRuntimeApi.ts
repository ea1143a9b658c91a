// An API that drives local and docker projects at once (a real dockerd, the test image, the real opencode):
// waiting for an operation, and removing every project, container, local process and data dir afterwards.
import path from 'node:path';
import type Docker from 'dockerode';
import type { Operation, OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import type { client, TestApi } from './apiServer';
import { until } from '../sync/support';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

type Client = ReturnType<typeof client>;

/** The operation once it has succeeded, failed or been cancelled. */
export const settledOperation = (admin: Client, p: Project, op: Operation) => until(`operation ${op.kind} on ${p.name}`, async () => {
  const found = (await admin.get<OperationList>(`/api/projects/${p.id}/operations`)).body.items.find((o) => o.id === op.id);
  return found && ['succeeded', 'failed', 'cancelled'].includes(found.state) ? found : undefined;
});

export const projectContainers = (docker: Docker, p: Project) =>
  docker.listContainers({ all: true, filters: { label: [`dev.hangar.project=${p.id}`] } });

/** Deletes the projects with their workspaces, then anything of theirs still on docker or running locally. */
export async function removeEverything(api: TestApi | undefined, admin: Client, docker: Docker, projects: (Project | undefined)[]): Promise<void> {
  for (const p of projects) {
    if (!p || !api) continue;
    await admin.del(`/api/projects/${p.id}?deleteVolumes=true&confirm=${p.slug}&ignoreUnsynced=true`).catch(() => undefined);
    for (const c of await projectContainers(docker, p)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  await api?.close();
  if (api) {
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(api.dataDir);
  }
}
