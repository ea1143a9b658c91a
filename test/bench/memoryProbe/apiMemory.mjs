// Bench only, never shipped: preloaded into the soak's API (node --import) when HANGAR_SOAK_MEMORY_LOG is
// set; appends the process's memory breakdown (RSS, JS heap, external, array buffers) there every 10 s,
// so a growing RSS can be told apart: JS objects, Buffers, or native memory outside V8.
import fs from 'node:fs';

const file = process.env.HANGAR_SOAK_MEMORY_LOG;
if (file) {
  const write = () => {
    const m = process.memoryUsage();
    const mb = (n) => Math.round((n / 1048576) * 10) / 10;
    fs.appendFileSync(file, `${JSON.stringify({ t: Date.now(), rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) })}\n`);
  };
  setInterval(write, 10_000).unref();
  write();
}
