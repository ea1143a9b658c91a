/**
 * The program that touches a workspace's files, run where the workspace is: by Node on this host
 * (local runtime), by opencode's own Bun (`BUN_BE_BUN=1 opencode -e`) inside a container, where no
 * Node may exist (docker, coolify). Plain CommonJS that both understand. Its argv after the marker
 * `hangar-fs` are one JSON request and the new content as base64 chunks; it prints one line
 * `HANGARFS{…}` with the result or `{error:{code,message}}`.
 *
 * Confinement, without races against an agent that swaps files for symlinks meanwhile: every
 * directory is opened first and its real path checked through /proc/self/fd; the last segment is
 * then reached as /proc/self/fd/<dir>/<name>, i.e. relative to that checked directory. Reads open
 * with O_PATH, check where the descriptor really is, and only then reopen it (no device or FIFO is
 * ever opened for reading); writes never follow a symlink (O_NOFOLLOW); a recursive delete walks
 * with descriptors too, so a directory swapped for a link mid-way cannot lead it out.
 */
export const FS_SCRIPT = String.raw`
'use strict';
const fs = require('fs');
const C = fs.constants;
const O_PATH = 0o10000000;
const at = process.argv.indexOf('hangar-fs');
const req = JSON.parse(process.argv[at + 1]);
const chunks = process.argv.slice(at + 2);
class Refused extends Error { constructor(code, message) { super(message); this.code2 = code; } }
const say = (o) => process.stdout.write('\nHANGARFS' + JSON.stringify(o) + '\n');
const fdDir = (fd) => '/proc/self/fd/' + fd;
let root;
const inside = (p) => p === root || p.startsWith(root + '/');
const where = (fd) => fs.readlinkSync(fdDir(fd));
function segments(rel) {
  if (rel === '') return [];
  const s = String(rel).split('/');
  for (const x of s) if (x === '' || x === '.' || x === '..' || x.includes('\0')) throw new Refused('bad_path', 'The path must stay inside the workspace.');
  return s;
}
function openDir(segs) {
  const fd = fs.openSync(segs.length ? root + '/' + segs.join('/') : root, C.O_RDONLY | C.O_DIRECTORY);
  if (!inside(where(fd))) { fs.closeSync(fd); throw new Refused('outside_workspace', 'The path leads outside the workspace (through a symbolic link).'); }
  return fd;
}
function parentOf(rel) {
  const segs = segments(rel);
  if (!segs.length) throw new Refused('bad_path', 'This needs a path inside the workspace, not the workspace itself.');
  const dir = openDir(segs.slice(0, -1));
  return { dir, name: segs[segs.length - 1], at: fdDir(dir) + '/' + segs[segs.length - 1] };
}
const typeOf = (st) => st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
/** What a path is; a symlink counts as its target when that is inside the workspace. */
function describe(p) {
  const l = fs.lstatSync(p);
  if (!l.isSymbolicLink()) return { st: l, type: typeOf(l), symlink: false };
  let fd;
  try { fd = fs.openSync(p, O_PATH); } catch { return { st: l, type: 'other', symlink: true }; }
  try {
    if (!inside(where(fd))) return { st: l, type: 'other', symlink: true };
    const st = fs.fstatSync(fd);
    return { st, type: typeOf(st), symlink: true };
  } finally { fs.closeSync(fd); }
}
function writable(p) { try { fs.accessSync(p, C.W_OK); return true; } catch { return false; } }
function stat(rel) {
  const segs = segments(rel);
  if (!segs.length) { const fd = openDir([]); try { const st = fs.fstatSync(fd); return { type: 'directory', symlink: false, size: st.size, mtime: st.mtimeMs, ctime: st.ctimeMs, writable: writable(fdDir(fd)) }; } finally { fs.closeSync(fd); } }
  const p = parentOf(rel);
  try {
    const d = describe(p.at);
    return { type: d.type, symlink: d.symlink, size: d.st.size, mtime: d.st.mtimeMs, ctime: d.st.ctimeMs, writable: writable(p.at) };
  } finally { fs.closeSync(p.dir); }
}
function list(rel) {
  const fd = openDir(segments(rel));
  try {
    const names = fs.readdirSync(fdDir(fd)).sort();
    const entries = names.slice(0, req.limit).map((name) => { const d = describe(fdDir(fd) + '/' + name); return { name, type: d.type, symlink: d.symlink }; });
    return { entries, truncated: names.length > req.limit };
  } finally { fs.closeSync(fd); }
}
function read(rel) {
  const p = parentOf(rel);
  let pfd;
  try {
    pfd = fs.openSync(p.at, O_PATH);
    if (!inside(where(pfd))) throw new Refused('outside_workspace', 'The file is a symbolic link to outside the workspace.');
    const st = fs.fstatSync(pfd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw new Refused('not_a_file', 'Only regular files can be read.');
    if (st.size > req.limit) throw new Refused('too_large', 'The file has ' + st.size + ' bytes; files up to ' + req.limit + ' bytes can be opened.');
    const fd = fs.openSync(fdDir(pfd), C.O_RDONLY | C.O_NONBLOCK);
    try {
      const buf = Buffer.alloc(req.limit + 1);
      let n = 0, r;
      while (n < buf.length && (r = fs.readSync(fd, buf, n, buf.length - n, null)) > 0) n += r;
      if (n > req.limit) throw new Refused('too_large', 'The file grew past ' + req.limit + ' bytes.');
      return { content: buf.subarray(0, n).toString('base64'), size: n };
    } finally { fs.closeSync(fd); }
  } finally { if (pfd !== undefined) fs.closeSync(pfd); fs.closeSync(p.dir); }
}
function exists(p) { try { return fs.lstatSync(p); } catch (e) { if (e.code === 'ENOENT') return null; throw e; } }
function write(rel) {
  const data = Buffer.from(chunks.join(''), 'base64');
  const p = parentOf(rel);
  try {
    const l = exists(p.at);
    if (l && l.isSymbolicLink()) throw new Refused('symlink', 'The file is a symbolic link: write where it points instead.');
    if (l && l.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (l && !l.isFile()) throw new Refused('not_a_file', 'Only regular files can be written.');
    if (l && !req.overwrite) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    if (!l && !req.create) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    const fd = fs.openSync(p.at, C.O_WRONLY | C.O_CREAT | C.O_TRUNC | C.O_NOFOLLOW | C.O_NONBLOCK, 0o644);
    try { let n = 0; while (n < data.length) n += fs.writeSync(fd, data, n, data.length - n); } finally { fs.closeSync(fd); }
    return { created: !l };
  } finally { fs.closeSync(p.dir); }
}
function mkdir(rel) {
  const p = parentOf(rel);
  try { fs.mkdirSync(p.at, 0o755); return {}; } finally { fs.closeSync(p.dir); }
}
/** Empties the directory at dirFd/name without ever following a link, then removes it. */
function removeTree(dirFd, name) {
  const fd = fs.openSync(fdDir(dirFd) + '/' + name, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
  try {
    for (const child of fs.readdirSync(fdDir(fd))) {
      const l = fs.lstatSync(fdDir(fd) + '/' + child);
      if (l.isDirectory()) removeTree(fd, child); else fs.unlinkSync(fdDir(fd) + '/' + child);
    }
  } finally { fs.closeSync(fd); }
  fs.rmdirSync(fdDir(dirFd) + '/' + name);
}
function remove(rel) {
  const p = parentOf(rel);
  try {
    const l = fs.lstatSync(p.at);
    if (!l.isDirectory()) fs.unlinkSync(p.at);
    else if (req.recursive) removeTree(p.dir, p.name);
    else fs.rmdirSync(p.at);
    return {};
  } finally { fs.closeSync(p.dir); }
}
function rename(from, to) {
  const a = parentOf(from);
  try {
    const b = parentOf(to);
    try {
      fs.lstatSync(a.at);
      if (!req.overwrite && exists(b.at)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
      const sa = segments(from), sb = segments(to);
      if (sb.length > sa.length && sa.every((s, i) => s === sb[i])) throw new Refused('bad_path', 'A folder cannot move into itself.');
      fs.renameSync(a.at, b.at);
      return {};
    } finally { fs.closeSync(b.dir); }
  } finally { fs.closeSync(a.dir); }
}
try {
  try { root = fs.realpathSync(req.root); } catch { throw new Refused('no_workspace', 'The project has no workspace yet.'); }
  const ops = { stat: () => stat(req.path), list: () => list(req.path), read: () => read(req.path), write: () => write(req.path),
    mkdir: () => mkdir(req.path), delete: () => remove(req.path), rename: () => rename(req.from, req.to) };
  if (!ops[req.op]) throw new Refused('bad_request', 'unknown operation');
  say({ result: ops[req.op]() });
} catch (e) {
  say({ error: { code: e instanceof Refused ? e.code2 : (e.code || 'EIO'), message: String(e.message || e) } });
}
`;
