import fs from 'node:fs';
import path from 'node:path';

/**
 * At start opencode runs an npm install of @opencode-ai/plugin into every config dir (64 MB,
 * +160 MB RSS, and network access). It skips that when the dir already has a package.json that
 * depends on the pinned version, a package-lock.json that lists it, and the package in
 * node_modules. Verified for 1.18.33 with strace: with this stub in place the process makes no
 * network connection at all; without it, it resolves and fetches from registry.npmjs.org.
 * Plugins Hangar ships do not import @opencode-ai/plugin, so an empty package is enough.
 */
export function prepareConfigDir(dir: string, version: string, opts: { hangarPlugin?: boolean } = {}): void {
  if (opts.hangarPlugin) installHangarPlugin(dir);
  const pluginDir = path.join(dir, 'node_modules', '@opencode-ai', 'plugin');
  fs.mkdirSync(pluginDir, { recursive: true });
  const deps = { '@opencode-ai/plugin': version };
  writeIfChanged(path.join(dir, 'package.json'), JSON.stringify({ dependencies: deps }, null, 2) + '\n');
  writeIfChanged(path.join(dir, 'package-lock.json'), JSON.stringify({
    name: path.basename(dir),
    lockfileVersion: 3,
    requires: true,
    packages: { '': { dependencies: deps }, 'node_modules/@opencode-ai/plugin': { version } },
  }, null, 2) + '\n');
  writeIfChanged(path.join(pluginDir, 'package.json'), JSON.stringify({ name: '@opencode-ai/plugin', version, type: 'module' }, null, 2) + '\n');
}

/**
 * Hangar's webhook plugin (media/opencode-plugin) into `<dir>/plugins/`: opencode 1.18.33 loads
 * `{plugin,plugins}/*.{ts,js}` from each config dir. Install it into one dir only (the project's
 * OPENCODE_CONFIG_DIR), or it loads twice and every event is posted twice.
 */
export function installHangarPlugin(dir: string): void {
  const target = path.join(dir, 'plugins');
  fs.mkdirSync(target, { recursive: true });
  writeIfChanged(path.join(target, HANGAR_PLUGIN_FILE), fs.readFileSync(hangarPluginSource(), 'utf8'));
}

export const HANGAR_PLUGIN_FILE = 'hangar-webhook.js';

/** media/opencode-plugin/hangar-webhook.js, found from the source tree or from dist/backend. */
export function hangarPluginSource(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'media', 'opencode-plugin', HANGAR_PLUGIN_FILE);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`cannot find media/opencode-plugin/${HANGAR_PLUGIN_FILE} above ${__dirname}`);
  }
}

function writeIfChanged(file: string, content: string): void {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return;
  } catch {
    // missing: write it
  }
  fs.writeFileSync(file, content);
}
