import fs from 'node:fs';
import path from 'node:path';

export interface OpencodeBinary {
  path: string;
  /** The pinned npm version; the plugin stub in configDir.ts must carry the same one. */
  version: string;
}

/**
 * The opencode executable from the pinned `opencode-ai` dependency (its postinstall links the
 * platform binary to bin/opencode.exe), or HANGAR_OPENCODE_BIN when set.
 */
export function resolveOpencodeBinary(override?: string): OpencodeBinary {
  const pkgFile = require.resolve('opencode-ai/package.json');
  const { version } = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version: string };
  const bin = override ?? path.join(path.dirname(pkgFile), 'bin', 'opencode.exe');
  if (!fs.existsSync(bin)) {
    throw new Error(`the opencode binary is missing at ${bin}; run \`npm install\` (with scripts enabled) or set HANGAR_OPENCODE_BIN`);
  }
  // A stub (install with --ignore-scripts) is a small JS launcher, not the 170 MB binary.
  if (!override && fs.statSync(bin).size < 1_000_000) {
    throw new Error(`${bin} is the npm stub, not the opencode binary; reinstall opencode-ai with install scripts enabled or set HANGAR_OPENCODE_BIN`);
  }
  return { path: bin, version };
}
