// What users install carries no test hooks: the production extension bundle and the webview bundles
// hold no `hangar.internal.*` command and no module of test/ (the hooks live in test/vscode/hooks and are
// built only as dist/testHooks.mjs by the test build). Built here in memory, as `esbuild.mjs --production`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../../..');
let plugins: { novncNoTopLevelAwait: esbuild.Plugin; extensionBuilds: (o: object) => esbuild.BuildOptions[] };

const PRODUCTION = {
  bundle: true, minify: true, sourcemap: false, logLevel: 'silent', legalComments: 'none',
  define: { 'process.env.HANGAR_BUILD': JSON.stringify('production') },
} as const;

/** Every output file's text (the entry and its chunks) and every input module, of a production build. */
async function production(options: esbuild.BuildOptions): Promise<{ text: string; inputs: string[] }> {
  const result = await esbuild.build({
    ...options,
    absWorkingDir: root,
    outdir: path.join(root, 'dist', 'hooks-check'), // never written: write: false
    write: false,
    metafile: true,
  });
  assert.ok(result.outputFiles && result.metafile, 'esbuild kept its output in memory');
  const text = result.outputFiles.filter((f) => /\.m?js$/.test(f.path)).map((f) => f.text).join('\n');
  const inputs = Object.values(result.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
  return { text, inputs };
}

describe('no test hooks in the production bundles', function () {
  this.timeout(120_000);
  before(async () => {
    plugins = (await import(path.join(root, 'esbuild.mjs'))) as typeof plugins;
  });

  it('dist/extension.js and its chunks register no hangar.internal.* command and bundle nothing from test/', async () => {
    // The entry and the feature chunks: esbuild.mjs builds them as two builds.
    const builds = await Promise.all(plugins.extensionBuilds(PRODUCTION).map((b) => production(b)));
    const text = builds.map((b) => b.text).join('\n');
    const inputs = builds.flatMap((b) => b.inputs);
    assert.ok(text.includes('hangar.openChat'), 'the bundle should hold the product commands (a sanity check)');
    assert.doesNotMatch(text, /hangar\.internal\./);
    assert.deepEqual(inputs.filter((i) => i.startsWith('test/')), []);
    // The loader is there, and it only imports a file beside the bundle at run time (never in production).
    assert.ok(text.includes('dist/testHooks.mjs'));
  });

  it('no product class carries a probe, an injector, a stream cutter or a buffer of what it posted', () => {
    // Members that only a test reads or calls: the hooks reach the product through its public parts instead.
    const member = /^\s*(?:(?:private|readonly|public|async|get)\s+)*(probe|inject|internal|signInProbe|dropStream|posted|records|paste)\s*[(:=]/m;
    const offenders: string[] = [];
    const scan = (dir: string): void => {
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, d.name);
        if (d.isDirectory()) scan(file);
        else if (d.name.endsWith('.ts')) {
          const found = member.exec(readFileSync(file, 'utf8'));
          if (found) offenders.push(`${path.relative(root, file)}: ${found[1]}`);
        }
      }
    };
    scan(path.join(root, 'extension'));
    assert.deepEqual(offenders, []);
  });

  it('the Desktop page neither accepts nor answers the suite\'s probes', async () => {
    const { text, inputs } = await production({
      ...PRODUCTION, entryPoints: { index: 'webviews/desktop/main.tsx' }, platform: 'browser', format: 'iife', target: 'es2022', jsx: 'automatic', jsxImportSource: 'preact',
      loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file' }, plugins: [plugins.novncNoTopLevelAwait],
    });
    assert.ok(text.includes('desktop.requestTicket'), 'the bundle should hold the desktop protocol (a sanity check)');
    assert.doesNotMatch(text, /desktop\.test/);
    assert.deepEqual(inputs.filter((i) => i.startsWith('test/') || /testProbe|desktopProbe/.test(i)), []);
  });
});
