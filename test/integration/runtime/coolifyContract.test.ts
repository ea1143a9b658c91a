// The shared RuntimeDriver contract, run against the coolify driver and the Coolify contract server
// (no real opencode behind the generated domain, so reachability is not probed).
import { startCoolifyServer, type CoolifyContractServer } from '../../fixtures/coolify/server';
import { driverFor } from './coolifySupport';
import { describeDriverContract } from './driverContract';

let server: CoolifyContractServer | undefined;

describeDriverContract('coolify (contract server)', async () => {
  server = await startCoolifyServer({ stepMs: 30 });
  return driverFor(server);
}, {
  reachable: false,
  // Coolify's restart is a redeploy of the same application: its uuid (the instance id) stays.
  sameInstanceOnRestart: true,
  newInstanceOnForceDeploy: false,
  logsAfterCrash: false,
  crash: async (projectId) => {
    const s = server!;
    const app = [...s.state.apps.values()].find((a) => (a.description ?? '').includes(projectId));
    if (!app) throw new Error(`no Coolify application for project ${projectId}`);
    // Coolify applies a finished deployment's status a little later; crash after it settled.
    const settled = () => ![...s.state.deployments.values()].some((d) => d.appUuid === app.uuid && !d.applied && !d.cancelled);
    for (const t0 = Date.now(); !settled() && Date.now() - t0 < 5000;) {
      await new Promise((r) => setTimeout(r, 20));
      s.state.refresh(app);
    }
    s.crash(app.uuid);
  },
});

after(async () => { await server?.close(); });
