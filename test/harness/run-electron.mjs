// The same in-VS-Code suite through @vscode/test-electron, for machines that can download VS Code
// (a contributor's laptop). Here, with no download host, `npm run test:vscode` runs it in code-server.
//   node test/harness/run-electron.mjs            (build first: node esbuild.mjs)
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startApi, REPO } from './api.mjs';

const api = await startApi({});
try {
  await runTests({
    extensionDevelopmentPath: REPO,
    extensionTestsPath: path.join(REPO, 'dist', 'test', 'vscode', 'index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust', REPO],
    extensionTestsEnv: { HANGAR_TEST_API_URL: api.url, HANGAR_TEST_API_TOKEN: api.token, HANGAR_TEST_DATA_DIR: api.dataDir },
  });
} catch (err) {
  console.error(`vscode (electron): ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await api.stop();
}
