// The fleet simulator as its own process for the fleet benchmark: prints `listening <url>`.
// FLEET_CHUNKS and FLEET_CHUNK_MS shape each simulated turn.
import { startFleetSim } from '../../fleet/simServer';

startFleetSim({ turn: { chunks: Number(process.env.FLEET_CHUNKS ?? 10), chunkMs: Number(process.env.FLEET_CHUNK_MS ?? 100) } })
  .then((sim) => {
    process.stdout.write(`listening ${sim.url}\n`);
    process.on('SIGTERM', () => { void sim.close().then(() => process.exit(0)); });
  })
  .catch((err: unknown) => {
    process.stderr.write(`sim: ${String(err)}\n`);
    process.exit(1);
  });
