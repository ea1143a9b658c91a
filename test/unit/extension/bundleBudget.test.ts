// The extension's entry (dist/extension.js: what VS Code loads at activation) has a byte budget, and so
// has everything together (the entry and every feature's chunk in dist/chunks, loaded on first use).
// Built here with esbuild.mjs's own options, minified as `--production` does, so it measures the shipped
// size and needs no earlier build.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../../..');

/**
 * Minified bytes. Raising one is a decision for review: first look at what grew (the failure lists the
 * largest parts). The entry's budget is issue 17's (activation loads only the feature registry, 10-11 kB
 * when set). The total was 480 kB for the single bundle (about 1.5x the 314 kB first measured; zod is
 * 196 kB of it after esbuild.mjs's zodEnglishOnly plugin drops zod's 50 locales, which cost 260 kB); it
 * was raised to 560 kB when the agent files and offline store features took it to 487 kB, none of which
 * loads at activation.
 */
const ENTRY_BUDGET = 100_000;
const TOTAL_BUDGET = 560_000;

type Metafile = esbuild.Metafile;

function largestParts(meta: Metafile, outputs: string[]): string {
  const byPart = new Map<string, number>();
  for (const out of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[out]?.inputs ?? {})) {
      const part = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input;
      byPart.set(part, (byPart.get(part) ?? 0) + bytesInOutput);
    }
  }
  return [...byPart].sort((a, b) => b[1] - a[1]).slice(0, 8)
    .map(([p, n]) => `${p} ${(n / 1000).toFixed(1)} kB`).join(', ');
}

describe('extension bundle budget', function () {
  this.timeout(60_000);
  let entry: { meta: Metafile; bytes: number };
  let chunks: { meta: Metafile; files: Map<string, number> };

  before(async () => {
    const { extensionBuilds } = (await import(path.join(root, 'esbuild.mjs'))) as {
      extensionBuilds: (o: object) => esbuild.BuildOptions[];
    };
    const builds = extensionBuilds({
      bundle: true, minify: true, sourcemap: false, legalComments: 'none', logLevel: 'silent',
      define: { 'process.env.HANGAR_BUILD': JSON.stringify('production') },
    });
    const [entryBuild, chunkBuild] = await Promise.all(builds.map((b) => esbuild.build({
      ...b,
      absWorkingDir: root,
      outdir: path.join(root, 'dist', 'budget-check', path.relative('dist', b.outdir ?? 'dist')), // write: false
      write: false,
      metafile: true,
    })));
    assert.ok(entryBuild && chunkBuild, `expected two builds, got ${builds.length}`);
    const js = (r: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] }) => new Map(r.outputFiles
      .filter((f) => /\.m?js$/.test(f.path)).map((f) => [path.relative(root, f.path), f.contents.length]));
    entry = { meta: entryBuild.metafile, bytes: [...js(entryBuild).values()].reduce((n, b) => n + b, 0) };
    chunks = { meta: chunkBuild.metafile, files: js(chunkBuild) };
  });

  it(`keeps what activation loads (dist/extension.js) within ${ENTRY_BUDGET / 1000} kB`, () => {
    const outputs = Object.keys(entry.meta.outputs);
    const top = largestParts(entry.meta, outputs);
    console.log(`      entry: ${entry.bytes} bytes minified; largest parts: ${top}`);
    assert.ok(entry.bytes > 3_000, `the entry is implausibly small (${entry.bytes} bytes)`);
    assert.ok(entry.bytes <= ENTRY_BUDGET,
      `activation loads ${entry.bytes} bytes, over its ${ENTRY_BUDGET}-byte budget; largest parts: ${top}`);
    // The session (API client, schemas, zod) and the features are never part of it.
    const inputs = outputs.flatMap((o) => Object.keys(entry.meta.outputs[o]?.inputs ?? {}));
    assert.deepEqual(inputs.filter((i) => /node_modules\/zod|core\/hangarSession\.ts|Feature\.ts$/.test(i)), []);
  });

  it(`keeps the whole extension (entry and every chunk) within ${TOTAL_BUDGET / 1000} kB`, () => {
    const bytes = entry.bytes + [...chunks.files.values()].reduce((n, b) => n + b, 0);
    const top = largestParts(chunks.meta, Object.keys(chunks.meta.outputs));
    console.log(`      all: ${bytes} bytes minified in ${chunks.files.size + 1} files; largest parts: ${top}`);
    assert.ok(bytes > 100_000, `the extension build is implausibly small (${bytes} bytes)`);
    assert.ok(bytes <= TOTAL_BUDGET,
      `the extension is ${bytes} bytes, over its ${TOTAL_BUDGET}-byte budget; largest parts: ${top}`);
  });

  it('loads each feature and the session from its own chunk, which the entry imports dynamically', () => {
    const names = [...chunks.files.keys()].map((f) => path.basename(f));
    const dynamic = Object.values(entry.meta.outputs).flatMap((o) => o.imports)
      .filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
    for (const name of ['connectionFeature', 'projectsFeature', 'chatFeature', 'providersFeature', 'syncFeature',
      'activityFeature', 'desktopFeature', 'sessionFactory']) {
      assert.ok(names.includes(`${name}.mjs`), `no chunk ${name}.mjs among ${names.join(', ')}`);
      assert.ok(dynamic.includes(`./chunks/${name}.mjs`),
        `the entry never imports ./chunks/${name}.mjs: ${dynamic.join(', ')}`);
    }
  });
});
