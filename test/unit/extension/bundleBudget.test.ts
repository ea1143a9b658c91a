// The extension's entry (dist/extension.mjs plus the chunks it imports statically: what VS Code loads at
// activation) has a byte budget, and so has everything together (the entry and every feature's chunk,
// loaded on first use). Built here with esbuild.mjs's own options, minified as `--production` does, so it
// measures the shipped size and needs no earlier build.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../../..');

/**
 * Minified bytes. Raising one is a decision for review: first look at what grew (the failure lists the
 * largest parts). The entry's budget is issue 17's (activation loads only the feature registry, about
 * 9 kB when set); the total is about 1.5x the 314 kB measured when the first budget was set (zod 196 kB
 * of it after esbuild.mjs's zodEnglishOnly plugin drops zod's 50 locales, which cost 260 kB).
 */
const ENTRY_BUDGET = 100_000;
const TOTAL_BUDGET = 480_000;

type Metafile = esbuild.Metafile;

/** The entry output and every chunk it imports statically, transitively: what loads before activate() runs. */
function staticClosure(meta: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (out: string) => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const i of meta.outputs[out]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  return [...seen];
}

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
  let meta: Metafile;
  let sizes: Map<string, number>;
  let entry: string;

  before(async () => {
    const { extensionBuild } = (await import(path.join(root, 'esbuild.mjs'))) as {
      extensionBuild: (o: object) => esbuild.BuildOptions;
    };
    const result = await esbuild.build({
      ...extensionBuild({
        bundle: true, minify: true, sourcemap: false, legalComments: 'none', logLevel: 'silent',
        define: { 'process.env.HANGAR_BUILD': JSON.stringify('production') },
      }),
      absWorkingDir: root,
      outdir: path.join(root, 'dist', 'budget-check'), // never written: write: false
      write: false,
      metafile: true,
    });
    meta = result.metafile;
    sizes = new Map(result.outputFiles.map((f) => [path.relative(root, f.path), f.contents.length]));
    entry = Object.keys(meta.outputs).find((o) => meta.outputs[o]?.entryPoint === 'extension/extension.ts') ?? '';
    assert.ok(entry, `no entry output among ${Object.keys(meta.outputs).join(', ')}`);
  });

  it(`keeps what activation loads (dist/extension.mjs and its static imports) within ${ENTRY_BUDGET / 1000} kB`, () => {
    const closure = staticClosure(meta, entry);
    const bytes = closure.reduce((n, o) => n + (sizes.get(o) ?? 0), 0);
    const top = largestParts(meta, closure);
    console.log(`      entry: ${bytes} bytes minified in ${closure.length} file(s); largest parts: ${top}`);
    assert.ok(bytes > 3_000, `the entry is implausibly small (${bytes} bytes)`);
    assert.ok(bytes <= ENTRY_BUDGET,
      `activation loads ${bytes} bytes, over its ${ENTRY_BUDGET}-byte budget; largest parts: ${top}`);
    // The session (API client, schemas, zod) is never part of it: it loads with the first feature.
    const inputs = closure.flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {}));
    assert.deepEqual(inputs.filter((i) => i.includes('node_modules/zod') || i.endsWith('core/hangarSession.ts')), []);
  });

  it(`keeps the whole extension (entry and every chunk) within ${TOTAL_BUDGET / 1000} kB`, () => {
    const js = [...sizes].filter(([f]) => f.endsWith('.mjs'));
    const bytes = js.reduce((n, [, b]) => n + b, 0);
    const top = largestParts(meta, Object.keys(meta.outputs));
    console.log(`      all: ${bytes} bytes minified in ${js.length} files; largest parts: ${top}`);
    assert.ok(bytes > 100_000, `the extension build is implausibly small (${bytes} bytes)`);
    assert.ok(bytes <= TOTAL_BUDGET,
      `the extension is ${bytes} bytes, over its ${TOTAL_BUDGET}-byte budget; largest parts: ${top}`);
  });

  it('loads each feature in its own chunk, apart from the entry', () => {
    const dynamic = (meta.outputs[entry]?.imports ?? [])
      .filter((i) => i.kind === 'dynamic-import').map((i) => path.basename(i.path));
    for (const name of ['connectionFeature', 'projectsFeature', 'chatFeature', 'providersFeature', 'syncFeature',
      'activityFeature', 'desktopFeature', 'sessionFactory']) {
      assert.ok(dynamic.some((d) => d.startsWith(`${name}-`)),
        `no chunk for ${name}; dynamic imports: ${dynamic.join(', ')}`);
    }
  });
});
