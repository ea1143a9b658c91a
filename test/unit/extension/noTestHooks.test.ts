// What users install carries no test hooks: the production extension bundle and the webview bundles
// hold no `hangar.internal.*` command and no module of test/ (the hooks live in test/vscode/hooks and are
// built only as dist/testHooks.js by the test build). Built here in memory, as `esbuild.mjs --production`.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../../..');
let plugins: { zodEnglishOnly: esbuild.Plugin; novncNoTopLevelAwait: esbuild.Plugin };

async function production(entry: string, options: esbuild.BuildOptions): Promise<{ text: string; inputs: string[] }> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { index: entry },
    outdir: path.join(root, 'dist', 'hooks-check'), // never written: write: false
    bundle: true,
    minify: true,
    sourcemap: false,
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    define: { 'process.env.HANGAR_BUILD': JSON.stringify('production') },
    ...options,
  });
  assert.ok(result.outputFiles && result.metafile, 'esbuild kept its output in memory');
  const text = result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => f.text).join('\n');
  const inputs = Object.values(result.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
  return { text, inputs };
}

describe('no test hooks in the production bundles', function () {
  this.timeout(120_000);
  before(async () => {
    plugins = (await import(path.join(root, 'esbuild.mjs'))) as typeof plugins;
  });

  it('dist/extension.js registers no hangar.internal.* command and bundles nothing from test/', async () => {
    const { text, inputs } = await production('extension/extension.ts', {
      platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], plugins: [plugins.zodEnglishOnly],
    });
    assert.ok(text.includes('hangar.openChat'), 'the bundle should hold the product commands (a sanity check)');
    assert.doesNotMatch(text, /hangar\.internal\./);
    assert.deepEqual(inputs.filter((i) => i.startsWith('test/')), []);
    // The loader is there, and it only loads a file beside the bundle at run time.
    assert.ok(text.includes('dist/testHooks.js'));
  });

  it('the Desktop page neither accepts nor answers the suite\'s probes', async () => {
    const { text, inputs } = await production('webviews/desktop/main.tsx', {
      platform: 'browser', format: 'iife', target: 'es2022', jsx: 'automatic', jsxImportSource: 'preact',
      loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file' }, plugins: [plugins.novncNoTopLevelAwait],
    });
    assert.ok(text.includes('desktop.requestTicket'), 'the bundle should hold the desktop protocol (a sanity check)');
    assert.doesNotMatch(text, /desktop\.test/);
    assert.deepEqual(inputs.filter((i) => i.startsWith('test/') || /testProbe|desktopProbe/.test(i)), []);
  });
});
