// Builds the three kinds of output: the extension (CommonJS for VS Code's extension host),
// one browser bundle per webview, and the API server. `--production` minifies, `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, rmSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');
// `--api-package`: only dist/api-package, the management API as an npm package (`npm run pack:api`).
const apiPackage = process.argv.includes('--api-package');
const watch = process.argv.includes('--watch');
const withTests = !production || process.argv.includes('--tests');
const root = path.dirname(new URL(import.meta.url).pathname);

/**
 * zod's `z` namespace re-exports every locale (`z.locales`), about 300 kB that esbuild cannot
 * tree-shake; Hangar only uses English messages (zod registers `en` itself). Applied to the
 * extension bundle, whose size test/unit/extension/bundleBudget.test.ts checks with this plugin.
 */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /locales\/index\.js$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)) return undefined;
      return { path: path.resolve(path.dirname(args.importer), '../locales/en.js'), namespace: 'zod-locales' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

/**
 * noVNC 1.7's core/util/browser.js probes H.264 support with a top-level await, which an IIFE bundle
 * cannot hold: the probe's result is assigned when it settles instead (the flag starts false and is
 * only read once a session negotiates encodings). Used by the desktop webview.
 */
export const novncNoTopLevelAwait = {
  name: 'novnc-no-top-level-await',
  setup(build) {
    build.onLoad({ filter: /@novnc[\\/]novnc[\\/]core[\\/]util[\\/]browser\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      const tla = 'supportsWebCodecsH264Decode = await _checkWebCodecsH264DecodeSupport();';
      if (!source.includes(tla)) throw new Error(`novnc-no-top-level-await: ${args.path} changed; update the plugin`);
      return { contents: source.replace(tla, '_checkWebCodecsH264DecodeSupport().then((v) => { supportsWebCodecsH264Decode = v; });'), loader: 'js' };
    });
  },
};

// No source maps in production: the .vsix ships without them (test/harness/vsixBudget.mjs checks it).
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.HANGAR_BUILD': JSON.stringify(production ? 'production' : 'development') },
};

/**
 * The modules the extension loads on first use: every `import('./…')` in extension/ (each feature's
 * module and the session's), as absolute paths. Each becomes an entry of the feature build.
 */
export function lazyModules() {
  const found = new Set();
  const scan = (dir) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, d.name);
      if (d.isDirectory()) scan(file);
      else if (d.name.endsWith('.ts')) {
        // Not `import('…').Name`: that is a type.
        for (const m of readFileSync(file, 'utf8').matchAll(/\bimport\('(\.{1,2}\/[^']+)'\)(?!\.)/g)) {
          found.add(path.resolve(path.dirname(file), `${m[1]}.ts`));
        }
      }
    }
  };
  scan(path.join(root, 'extension'));
  const byName = new Map([...found].map((f) => [path.basename(f, '.ts'), f]));
  if (byName.size !== found.size) {
    throw new Error(`two lazily loaded modules share a file name: ${[...found].join(', ')}`);
  }
  return byName;
}

/**
 * The extension, in two builds. The entry (dist/extension.js, CommonJS, all VS Code loads at activation:
 * the feature registry) is loaded synchronously, so VS Code's activation figure is its own cost; its
 * `import('./…Feature')` calls stay dynamic imports of dist/chunks/<name>.mjs. Those are ES modules with
 * code splitting (one per feature and the session, the code they share in common chunks), loaded on
 * first use. test/unit/extension/bundleBudget.test.ts checks both with these options.
 */
export function extensionBuilds(options) {
  const lazy = lazyModules();
  const lazyPaths = new Map([...lazy].map(([name, file]) => [file, name]));
  const chunkImports = {
    name: 'feature-chunks',
    setup(build) {
      build.onResolve({ filter: /^\.{1,2}\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const name = lazyPaths.get(path.resolve(args.resolveDir, `${args.path}.ts`));
        return name ? { path: `./chunks/${name}.mjs`, external: true } : undefined;
      });
    },
  };
  const node = { platform: 'node', target: 'node20', external: ['vscode'] };
  return [
    { ...options, ...node, entryPoints: { extension: 'extension/extension.ts' }, outdir: 'dist', format: 'cjs',
      plugins: [zodEnglishOnly, chunkImports] },
    { ...options, ...node, entryPoints: Object.fromEntries(lazy), outdir: 'dist/chunks', format: 'esm',
      splitting: true, outExtension: { '.js': '.mjs' }, chunkNames: '[name]-[hash]', plugins: [zodEnglishOnly] },
  ];
}

/**
 * A webview page as a browser bundle (Preact, its CSS and fonts beside it). Exported for the bundle
 * budget test, which builds each page the same way.
 */
export const webviewPage = {
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file' },
};

/** Every folder of webviews/ with a main.tsx is one webview bundle (shared/ is a library). */
function webviewEntries() {
  const dir = path.join(root, 'webviews');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'main.tsx')))
    .map((d) => d.name);
}

const builds = [
  ...extensionBuilds(common),
  {
    ...common,
    entryPoints: { main: 'backend/main.ts', cli: 'backend/cli.ts' },
    outdir: 'dist/backend',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
  },
  ...webviewEntries().map((name) => ({
    ...common,
    ...webviewPage,
    entryPoints: { index: `webviews/${name}/main.tsx` },
    outdir: `dist/webviews/${name}`,
    ...(name === 'desktop' ? { plugins: [novncNoTopLevelAwait] } : {}),
  })),
];

if (withTests && existsSync(path.join(root, 'test/vscode/index.ts'))) {
  // The suite that runs inside a real VS Code's extension host (see test/harness).
  builds.push({
    ...common,
    minify: false,
    entryPoints: { index: 'test/vscode/index.ts' },
    outdir: 'dist/test/vscode',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    plugins: [zodEnglishOnly],
  });
}

if (withTests) {
  // The test-only hooks (the hangar.internal.* commands): imported by the extension in development and test
  // windows only, never part of dist/extension.mjs or its chunks, nor of the .vsix (package.json `files`).
  builds.push({
    ...common,
    minify: false,
    entryPoints: { testHooks: 'test/vscode/hooks/index.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['vscode'],
    plugins: [zodEnglishOnly],
  });
  // The test build of the Desktop page: the product's App that also answers the suite's probes.
  builds.push({
    ...common,
    minify: false,
    ...webviewPage,
    entryPoints: { index: 'test/vscode/hooks/webview/desktopMain.tsx' },
    outdir: 'dist/test/webviews/desktop',
    plugins: [novncNoTopLevelAwait],
  });
}

// Importing this file (the bundle budget tests do, for zodEnglishOnly) builds nothing.
const isMain = !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);

// Stale webview, backend and extension bundles go; dist/test and a packaged .vsix stay.
if (isMain && !watch && !apiPackage) for (const d of ['dist/webviews', 'dist/backend', 'dist/chunks', 'dist/extension.mjs', 'dist/extension.mjs.map']) rmSync(path.join(root, d), { recursive: true, force: true, maxRetries: 3 });
// A production build leaves no test hooks beside the extension (a stale one from a test build).
if (isMain && !watch && !apiPackage && !withTests) {
  for (const f of ['dist/testHooks.mjs', 'dist/testHooks.mjs.map', 'dist/test/webviews']) rmSync(path.join(root, f), { recursive: true, force: true });
}

/**
 * dist/api-package: what `npm pack` turns into hangar-api-<version>.tgz, installable outside a clone
 * (`npm install -g hangar-api-<version>.tgz` → `hangar-api serve`). The backend is one bundle except
 * for dockerode and ws (installed from the registry), opencode-ai (optional: only the local runtime runs it)
 * and better-sqlite3, shipped inside the tarball already compiled (bundleDependencies, its install
 * script dropped), so installing needs no compiler nor a download from GitHub. The compiled module
 * fits the Node major version and platform of the machine that packed it.
 */
async function buildApiPackage() {
  const out = path.join(root, 'dist', 'api-package');
  rmSync(out, { recursive: true, force: true, maxRetries: 3 });
  // ws stays a package: `image build --desktop` copies it into the image for the websocket bridge.
  const external = ['better-sqlite3', 'dockerode', 'opencode-ai', 'ws', 'pg-native'];
  // pg (PostgreSQL) is bundled; its optional native binding, which Hangar never loads, is not.
  await esbuild.build({
    ...common,
    sourcemap: false,
    minify: true,
    entryPoints: { main: 'backend/main.ts', cli: 'backend/cli.ts' },
    outdir: path.join(out, 'dist', 'backend'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    plugins: [zodEnglishOnly],
  });
  for (const d of ['media/images', 'media/opencode-plugin', 'README.md']) cpSync(path.join(root, d), path.join(out, d), { recursive: true });
  const nm = (name) => path.join(root, 'node_modules', name);
  const version = (name) => JSON.parse(readFileSync(path.join(nm(name), 'package.json'), 'utf8')).version;
  // better-sqlite3 as it runs: its lib/, the compiled module and what lib/ requires at run time.
  const sqlite = path.join(out, 'node_modules', 'better-sqlite3');
  cpSync(path.join(nm('better-sqlite3'), 'lib'), path.join(sqlite, 'lib'), { recursive: true });
  mkdirSync(path.join(sqlite, 'build', 'Release'), { recursive: true });
  // Under `npm start`/`npm test` on a machine whose Node is older than 22, this runs on the cached
  // Node 24 and node_modules' module is the older Node's: ship the one built for this Node instead.
  const cached = process.env.HANGAR_SQLITE_BINDING;
  const binding = cached && path.basename(path.dirname(cached)).endsWith(`-abi${process.versions.modules}`) ? cached : path.join(nm('better-sqlite3'), 'build', 'Release', 'better_sqlite3.node');
  cpSync(binding, path.join(sqlite, 'build', 'Release', 'better_sqlite3.node'));
  cpSync(path.join(nm('better-sqlite3'), 'LICENSE'), path.join(sqlite, 'LICENSE'));
  const sqlitePkg = JSON.parse(readFileSync(path.join(nm('better-sqlite3'), 'package.json'), 'utf8'));
  const { install: _install, ...sqliteScripts } = sqlitePkg.scripts ?? {};
  writeFileSync(path.join(sqlite, 'package.json'), JSON.stringify({ ...sqlitePkg, scripts: sqliteScripts, dependencies: { bindings: sqlitePkg.dependencies.bindings }, files: undefined }, null, 2));
  for (const dep of ['bindings', 'file-uri-to-path']) cpSync(nm(dep), path.join(out, 'node_modules', dep), { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  writeFileSync(path.join(out, 'package.json'), JSON.stringify({
    name: 'hangar-api',
    version: pkg.version,
    description: 'The Hangar management API: runs OpenCode agents for a team (hangar-api serve).',
    license: pkg.license,
    repository: pkg.repository,
    engines: { node: pkg.engines.node },
    bin: { 'hangar-api': 'dist/backend/cli.js' },
    files: ['dist/', 'media/', 'README.md'],
    dependencies: { 'better-sqlite3': version('better-sqlite3'), dockerode: pkg.dependencies.dockerode, ws: pkg.dependencies.ws },
    optionalDependencies: { 'opencode-ai': pkg.dependencies['opencode-ai'] },
    bundleDependencies: ['better-sqlite3'],
  }, null, 2) + '\n');
  console.log(`esbuild: built ${path.relative(root, out)} (npm pack it: npm run pack:api)`);
}

if (!isMain) {
  // imported: nothing to do
} else if (apiPackage) {
  await buildApiPackage();
} else if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`esbuild: watching ${builds.length} bundles`);
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`esbuild: built ${builds.length} bundles${production ? ' (production)' : ''} in ${Date.now() - started} ms`);
}
