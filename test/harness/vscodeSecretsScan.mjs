// The secrets scan at the end of the VS Code suite (issue 13): after the extension host exited and
// code-server, the browser and the API stopped, the code-server profile (settings, globalStorage,
// logs), the browser profile (the workbench keeps webview state and extension state in its
// IndexedDB there), the workspace (its .vscode settings) and the API's data dir are searched for
// marker secrets and for every secret the API holds (secretsScan.mjs). The API token the extension
// keeps in SecretStorage lives in the browser profile by design (VS Code for the web stores it
// there), so the browser profile is not searched for that one.
import { tsImport } from 'tsx/esm/api';
import { dataDirKeySecrets, scanTree, secretIndex } from './secretsScan.mjs';

/** The sealed values of the API's database, opened with its key (test/integration/support/apiSecrets.ts). */
async function sealedSecrets(dataDir, log) {
  try {
    const { readDatabase } = await tsImport('../integration/support/apiSecrets.ts', import.meta.url);
    return (await readDatabase(dataDir)).secrets;
  } catch (err) {
    // better-sqlite3 is built for Node 22: `npm test` runs there; a run on another Node scans for markers only.
    if (process.env.CI === 'true') throw new Error(`secrets scan: the API's database could not be read: ${err.message}`, { cause: err });
    log(`secrets scan: sealed values not read (${err.message.split('\n')[0]}); markers and tokens only`);
    return [];
  }
}

/**
 * @param {{ apiDataDir: string, codeServerState: string, extensionsDir: string, browserProfile: string, workspace: string, log: (l: string) => void }} o
 * @returns {Promise<{ findings: string[], summary: string }>}
 */
export async function scanVscodeRun({ apiDataDir, codeServerState, extensionsDir, browserProfile, workspace, log }) {
  const started = Date.now();
  const own = dataDirKeySecrets(apiDataDir);
  const secrets = [...own, ...await sealedSecrets(apiDataDir, log)];
  const everything = secretIndex(secrets);
  const adminToken = own.find((s) => s.home?.endsWith('local-token'));
  const notTheToken = secretIndex(secrets.filter((s) => s !== adminToken));
  const findings = [];
  let files = 0;
  let bytes = 0;
  const add = (r) => { files += r.files; bytes += r.bytes; findings.push(...r.findings); };
  add(scanTree(apiDataDir, everything));
  // The extensions dir holds installed extension code, not state.
  add(scanTree(codeServerState, everything, { skip: (dir) => dir === extensionsDir }));
  add(scanTree(workspace, everything));
  add(scanTree(browserProfile, notTheToken));
  const summary = `secrets scan: ${files} files (${(bytes / 1e6).toFixed(1)} MB) of the API data dir, the code-server and browser profiles `
    + `and the workspace, ${secrets.length} known secrets + markers: ${findings.length} found in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  return { findings, summary };
}
