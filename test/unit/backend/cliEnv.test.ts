import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENV_HELP, envHelpText } from '../../../backend/cliEnv';

const backend = path.resolve(__dirname, '../../../backend');
// Names in backend/ that the API sets for its agents or uses as constants, never reads itself.
const NOT_READ = new Set(['HANGAR_PROJECT_ID', 'HANGAR_WORKSPACE', 'HANGAR_AGENT_PORT', 'HANGAR_WEBHOOK_SECRET',
  'HANGAR_LOCAL_ROOT', 'HANGAR_GIT_CA', 'HANGAR_PLUGIN_FILE', 'HANGAR_BUILD',
  'HANGAR_SCREEN', 'HANGAR_CONTENT', 'HANGAR_BINDING_FILE']);

function namesInBackend(): Set<string> {
  const names = new Set<string>();
  for (const entry of fs.readdirSync(backend, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name === 'cliEnv.ts') continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    // A trailing `_` is a prefix in prose (HANGAR_DOCKER_…), not a variable.
    for (const m of text.matchAll(/\bHANGAR_[A-Z0-9_]*[A-Z0-9]\b(?!_)/g)) names.add(m[0]);
  }
  return names;
}

describe('hangar-api --help: environment', () => {
  it('lists every HANGAR_* variable the API reads', () => {
    const listed = new Set(ENV_HELP.flatMap((g) => g.vars.map(([n]) => n)));
    const missing = [...namesInBackend()].filter((n) => !NOT_READ.has(n) && !listed.has(n)).sort();
    assert.deepEqual(missing, []);
    assert.ok(listed.size >= 40, `only ${listed.size} variables listed`);
  });

  it('lists only variables the configuration reads: config.ts, or a runtime\'s own section it hands on', () => {
    const readers = ['config.ts', 'leaseConfig.ts', 'runtime/docker/config.ts', 'runtime/coolify/config.ts']
      .map((f) => fs.readFileSync(path.join(backend, f), 'utf8')).join('\n');
    const stale = ENV_HELP.flatMap((g) => g.vars.map(([n]) => n)).filter((n) => !readers.includes(n));
    assert.deepEqual(stale, []);
  });

  it('reads the configuration once: no other file of backend/ reads HANGAR_* or DOCKER_* from process.env', () => {
    const readers: string[] = [];
    for (const entry of fs.readdirSync(backend, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (!entry.isFile() || !entry.name.endsWith('.ts') || file === path.join(backend, 'config.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      // A named variable, or the whole environment handed to something that could read any of them.
      const whole = /\.\.\.process\.env\b|\(process\.env\b[,)]|= process\.env\b(?![.[])/;
      const named = /process\.env(\.|\[')(HANGAR|DOCKER)_/;
      if (named.test(text) || whole.test(text)) readers.push(path.relative(backend, file));
    }
    assert.deepEqual(readers, []);
  });

  it('prints each variable on its own line with its help', () => {
    const text = envHelpText();
    assert.match(text, /^ {2}HANGAR_DATA_DIR +data folder/m);
    assert.match(text, /^Docker runtime \(images: `hangar-api image build \[--desktop\]`\):$/m);
  });
});
