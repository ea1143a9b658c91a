// The loopback "GitHub" (test/fixtures/gitHttp) as a process of its own for the in-VS-Code suite: the
// API must trust its certificate from the start (HANGAR_GIT_CA_FILE), so the harness starts it first
// (test/harness/gitFixture.mjs) with `node --import tsx`. Prints one JSON line, then serves until SIGTERM.
import { startFakeGithub } from '../fixtures/gitHttp/fakeGithub';

async function main(): Promise<void> {
  const token = process.env.HANGAR_TEST_GIT_TOKEN;
  if (!token) throw new Error('HANGAR_TEST_GIT_TOKEN is not set');
  const fake = await startFakeGithub({ token, hosts: ['127.0.0.1'] });
  const stop = () => void fake.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ origin: fake.origins[0], caFile: fake.caFile, root: fake.root })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake GitHub failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
