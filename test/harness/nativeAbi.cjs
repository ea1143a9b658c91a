// Preloaded (NODE_OPTIONS=--require) into the processes that `npm start` and `npm test` run under
// the cached Node 24 when the machine's own Node is older (test/harness/supportedNode.mjs).
// node_modules' better-sqlite3 was compiled by `npm install` for that older Node; this loads the copy
// compiled for the running Node's ABI (HANGAR_SQLITE_BINDING, in the cache) instead, so node_modules
// is never rewritten and the older Node keeps working with it. Anything else loads as usual.
'use strict';
const Module = process.getBuiltinModule('node:module');
const path = process.getBuiltinModule('node:path');

const binding = process.env.HANGAR_SQLITE_BINDING;
const moduleDir = process.env.HANGAR_SQLITE_MODULE; // <repo>/node_modules/better-sqlite3: only that copy is redirected
if (binding && moduleDir && path.basename(path.dirname(binding)).endsWith(`-abi${process.versions.modules}`)) {
  const load = Module._extensions['.node'];
  const own = path.join(moduleDir, 'build') + path.sep;
  Module._extensions['.node'] = function loadNative(module, filename) {
    if (filename.startsWith(own) && path.basename(filename) === 'better_sqlite3.node') return load.call(this, module, binding);
    return load.call(this, module, filename);
  };
}
