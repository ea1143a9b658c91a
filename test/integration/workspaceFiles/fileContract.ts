import assert from 'node:assert/strict';
import type { ErrorBody, WorkspaceDirectory, WorkspaceFileContent, WorkspaceStat } from '../../../backend/contract';
import type { client } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';

export interface FilesWorld {
  api: { url: string; adminToken: string };
  alice: ReturnType<typeof client>;
  mallory: ReturnType<typeof client>;
  projectId: string;
  /** Runs argv in the workspace through the project's runtime driver (to plant hostile links). */
  exec(argv: string[]): Promise<{ exitCode: number; stdout: string }>;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * The file routes' behaviour, the same on every runtime: the round trip, VS Code's file system
 * semantics (exists, missing, not empty), change events, and hostile paths answered with a 4xx.
 */
export function fileRouteContract(runtime: string, world: () => FilesWorld): void {
  const files = () => `/api/projects/${world().projectId}/files`;
  const q = (p: string) => encodeURIComponent(p);

  it(`${runtime}: writes, stats, lists, reads, renames and deletes files, with workspace.changed events`, async () => {
    const w = world();
    const events = await openEventStream(w.api.url, w.api.adminToken);
    try {
      assert.equal((await w.alice.post(`${files()}/directory`, { path: 'notes' })).status, 204);
      const put = await w.alice.call('PUT', `${files()}/content`, { path: 'notes/a.md', content: b64('# hello\n') });
      assert.equal(put.status, 204, JSON.stringify(put.body));
      const stat = await w.alice.get<WorkspaceStat>(`${files()}/stat?path=notes/a.md`);
      assert.equal(stat.status, 200);
      assert.deepEqual([stat.body.type, stat.body.symlink, stat.body.size, stat.body.writable], ['file', false, 8, true]);
      const list = await w.alice.get<WorkspaceDirectory>(`${files()}/list?path=notes`);
      assert.deepEqual(list.body, { entries: [{ name: 'a.md', type: 'file', symlink: false }], truncated: false });
      const root = await w.alice.get<WorkspaceDirectory>(`${files()}/list`);
      assert.ok(root.body.entries.some((e) => e.name === 'notes' && e.type === 'directory'));
      const read = await w.alice.get<WorkspaceFileContent>(`${files()}/content?path=notes/a.md`);
      assert.equal(Buffer.from(read.body.content, 'base64').toString(), '# hello\n');
      const inside = await w.exec(['cat', 'notes/a.md']);
      assert.equal(inside.stdout.replace(/\r/g, ''), '# hello\n', 'the agent sees the same file');

      assert.equal((await w.alice.post(`${files()}/rename`, { from: 'notes/a.md', to: 'notes/b.md' })).status, 204);
      assert.equal((await w.alice.get(`${files()}/stat?path=notes/a.md`)).status, 404);
      assert.equal((await w.alice.del(`${files()}?path=notes`)).status, 409, 'a folder with files needs recursive');
      assert.equal((await w.alice.del(`${files()}?path=notes&recursive=true`)).status, 204);
      assert.equal((await w.alice.get<ErrorBody>(`${files()}/stat?path=notes`)).body.error.code, 'file_not_found');
      await events.waitFor((f) => f.event === 'workspace.changed' && JSON.parse(f.data!).data.changes[0].path === 'notes'
        && JSON.parse(f.data!).data.changes[0].type === 'deleted', 10_000);
      const changes = events.frames.filter((f) => f.event === 'workspace.changed').map((f) => JSON.parse(f.data!).data.changes);
      assert.deepEqual(changes, [
        [{ type: 'created', path: 'notes' }],
        [{ type: 'created', path: 'notes/a.md' }],
        [{ type: 'deleted', path: 'notes/a.md' }, { type: 'created', path: 'notes/b.md' }],
        [{ type: 'deleted', path: 'notes' }],
      ]);
    } finally {
      await events.close();
    }
  });

  it(`${runtime}: keeps VS Code's write semantics (create, overwrite, missing parent, folder)`, async () => {
    const w = world();
    const put = (body: object) => w.alice.call<ErrorBody>('PUT', `${files()}/content`, body);
    assert.equal((await put({ path: 'x.txt', content: b64('1'), create: false })).body.error.code, 'file_not_found');
    assert.equal((await put({ path: 'x.txt', content: b64('1') })).status, 204);
    assert.equal((await put({ path: 'x.txt', content: b64('2'), overwrite: false })).body.error.code, 'file_exists');
    assert.equal((await put({ path: 'missing/x.txt', content: b64('1') })).body.error.code, 'file_not_found');
    assert.equal((await w.alice.post<ErrorBody>(`${files()}/directory`, { path: 'x.txt' })).body.error.code, 'file_exists');
    assert.equal((await w.alice.get<ErrorBody>(`${files()}/content?path=`)).status, 400);
    assert.equal((await w.alice.post<ErrorBody>(`${files()}/rename`, { from: 'x.txt', to: 'x.txt/y' })).status, 409);
    assert.equal((await w.alice.del(`${files()}?path=x.txt`)).status, 204);
  });

  it(`${runtime}: refuses hostile paths with a 4xx: "..", absolute, symlinks out, /proc, too large, another user's project`, async () => {
    const w = world();
    assert.equal((await w.exec(['ln', '-s', '/etc', 'etc-link'])).exitCode, 0);
    assert.equal((await w.exec(['ln', '-s', '/etc/passwd', 'passwd-link'])).exitCode, 0);
    assert.equal((await w.exec(['ln', '-s', '/proc/self/environ', 'environ-link'])).exitCode, 0);
    assert.equal((await w.exec(['ln', '-s', '/tmp', 'tmp-link'])).exitCode, 0);
    const codes: Record<string, [number, string]> = {};
    const note = async (what: string, p: Promise<{ status: number; body: unknown }>) => {
      const r = await p;
      codes[what] = [r.status, (r.body as ErrorBody | undefined)?.error?.code ?? ''];
    };
    await note('dotdot', w.alice.get(`${files()}/content?path=${q('../../../etc/passwd')}`));
    await note('inner dotdot', w.alice.get(`${files()}/content?path=${q('a/../../etc/passwd')}`));
    await note('absolute', w.alice.get(`${files()}/content?path=${q('/etc/passwd')}`));
    await note('proc', w.alice.get(`${files()}/content?path=${q('/proc/self/environ')}`));
    await note('nul', w.alice.get(`${files()}/content?path=${q('a\u0000b')}`));
    await note('backslash', w.alice.get(`${files()}/content?path=${q('..\\etc')}`));
    await note('link to a file outside', w.alice.get(`${files()}/content?path=passwd-link`));
    await note('link to /proc', w.alice.get(`${files()}/content?path=environ-link`));
    await note('through a dir link', w.alice.get(`${files()}/content?path=${q('etc-link/passwd')}`));
    await note('list a dir link', w.alice.get(`${files()}/list?path=etc-link`));
    await note('write through a dir link', w.alice.call('PUT', `${files()}/content`, { path: 'tmp-link/planted', content: b64('x') }));
    await note('write over a link', w.alice.call('PUT', `${files()}/content`, { path: 'passwd-link', content: b64('x') }));
    await note('mkdir through a link', w.alice.post(`${files()}/directory`, { path: 'tmp-link/planted-dir' }));
    await note('rename out', w.alice.post(`${files()}/rename`, { from: 'passwd-link', to: 'tmp-link/moved' }));
    await note('rename dotdot', w.alice.post(`${files()}/rename`, { from: 'passwd-link', to: '../moved' }));
    await note('delete the workspace', w.alice.del(`${files()}?path=&recursive=true`));
    await note('too large', w.alice.call('PUT', `${files()}/content`, { path: 'big.bin', content: b64('x'.repeat(600 * 1024)) }));
    await note('other user', w.mallory.get(`${files()}/list`));
    assert.deepEqual(codes, {
      'dotdot': [400, 'validation_failed'],
      'inner dotdot': [400, 'validation_failed'],
      'absolute': [400, 'validation_failed'],
      'proc': [400, 'validation_failed'],
      'nul': [400, 'validation_failed'],
      'backslash': [400, 'validation_failed'],
      'link to a file outside': [403, 'outside_workspace'],
      'link to /proc': [403, 'outside_workspace'],
      'through a dir link': [403, 'outside_workspace'],
      'list a dir link': [403, 'outside_workspace'],
      'write through a dir link': [403, 'outside_workspace'],
      'write over a link': [403, 'symlink_refused'],
      'mkdir through a link': [403, 'outside_workspace'],
      'rename out': [403, 'outside_workspace'],
      'rename dotdot': [400, 'validation_failed'],
      'delete the workspace': [400, 'validation_failed'],
      'too large': [400, 'validation_failed'],
      'other user': [404, 'not_found'],
    });
    assert.notEqual((await w.exec(['ls', '/tmp/planted'])).exitCode, 0, 'nothing was written through the link');
    assert.notEqual((await w.exec(['ls', '/tmp/planted-dir'])).exitCode, 0);
    // The links themselves are listed (as links to something outside), and can be deleted.
    const root = await w.alice.get<WorkspaceDirectory>(`${files()}/list`);
    assert.deepEqual(root.body.entries.find((e) => e.name === 'etc-link'), { name: 'etc-link', type: 'other', symlink: true });
    for (const l of ['etc-link', 'passwd-link', 'environ-link', 'tmp-link']) assert.equal((await w.alice.del(`${files()}?path=${l}`)).status, 204);
    assert.equal((await w.exec(['ls', '/etc/passwd'])).exitCode, 0, 'deleting a link leaves its target');
  });
}
