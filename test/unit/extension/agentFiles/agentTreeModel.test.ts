import assert from 'node:assert/strict';
import type { AgentMcpStatus, WorkspaceDirectory, WorkspaceStat } from '../../../../backend/contract';
import { ApiError } from '../../../../extension/core/apiError';
import { childrenOf, contextValueOf, nodeId, withMcpServer, type AgentNode } from '../../../../extension/agentFiles/agentTreeModel';
import { pathFor, templateFor, validName } from '../../../../extension/agentFiles/agentTemplates';
import { WorkspaceFs, type FilesApi, parseHangarUri, toFsError } from '../../../../extension/agentFiles/workspaceFs';

/** A workspace in memory that answers like the API's file routes (errors as ApiErrors with the API's codes). */
function memoryApi(files: Record<string, string>, dirs: string[]): FilesApi {
  const ctx = { method: 'GET', path: '/x' };
  const missing = () => new ApiError(404, 'file_not_found', 'does not exist', ctx);
  return {
    fileStat: async (_p, path): Promise<WorkspaceStat> => {
      if (path in files) return { type: 'file', symlink: false, size: files[path]!.length, mtime: 1, ctime: 1, writable: true };
      if (dirs.includes(path)) return { type: 'directory', symlink: false, size: 0, mtime: 1, ctime: 1, writable: true };
      throw missing();
    },
    fileList: async (_p, path): Promise<WorkspaceDirectory> => {
      if (!dirs.includes(path)) throw missing();
      const names = Object.keys(files).filter((f) => f.startsWith(`${path}/`) && !f.slice(path.length + 1).includes('/'));
      return { entries: names.map((n) => ({ name: n.slice(path.length + 1), type: 'file' as const, symlink: false })), truncated: false };
    },
    fileRead: async (_p, path) => {
      if (!(path in files)) throw missing();
      return { content: Buffer.from(files[path]!).toString('base64'), size: files[path]!.length };
    },
    fileWrite: async (_p, body) => {
      if (body.path in files && !body.overwrite) throw new ApiError(409, 'file_exists', 'exists', ctx);
      files[body.path] = Buffer.from(body.content, 'base64').toString();
    },
    fileMkdir: async (_p, path) => { dirs.push(path); },
    fileDelete: async (_p, path) => { delete files[path]; },
    fileRename: async (_p, from, to) => { files[to] = files[from]!; delete files[from]; },
  };
}

describe('agent files: the Agent node and the hangar: file system without vscode', () => {
  it('lists AGENTS.md and opencode.json (missing or not), the four folders and the MCP servers', async () => {
    const fs = new WorkspaceFs(() => memoryApi({ 'AGENTS.md': '# hi', '.opencode/command/ship.md': 'x', '.opencode/command/a.md': 'y' }, ['.opencode', '.opencode/command']));
    const mcp: AgentMcpStatus = { web: { status: 'connected' }, broken: { status: 'failed', error: 'refused' } };
    const deps = { fs, mcpStatus: async () => mcp };
    const root: AgentNode = { kind: 'root', projectId: 'p1' };
    const kids = await childrenOf(root, deps);
    assert.deepEqual(kids.map((n) => [nodeId(n), contextValueOf(n)]), [
      ['agentfile:p1:AGENTS.md', 'agentFiles.file'],
      ['agentfile:p1:opencode.json', 'agentFiles.missing'],
      ['agentgroup:p1:agent', 'agentFiles.group.agent'],
      ['agentgroup:p1:command', 'agentFiles.group.command'],
      ['agentgroup:p1:tool', 'agentFiles.group.tool'],
      ['agentgroup:p1:plugin', 'agentFiles.group.plugin'],
      ['agentmcp:p1', 'agentFiles.mcpGroup'],
    ]);
    const commands = await childrenOf({ kind: 'group', projectId: 'p1', fileKind: 'command' }, deps);
    assert.deepEqual(commands.map((n) => n.kind === 'file' && n.path), ['.opencode/command/a.md', '.opencode/command/ship.md']);
    assert.deepEqual(await childrenOf({ kind: 'group', projectId: 'p1', fileKind: 'tool' }, deps), [], 'a missing folder is an empty group');
    const servers = await childrenOf({ kind: 'mcpGroup', projectId: 'p1' }, deps);
    assert.deepEqual(servers.map(contextValueOf), ['agentFiles.mcp.failed', 'agentFiles.mcp.connected']);
    const stopped = await childrenOf({ kind: 'mcpGroup', projectId: 'p1' }, { fs, mcpStatus: async () => { throw new Error('project_not_running'); } });
    assert.equal(stopped[0]?.kind, 'message');
  });

  it('maps the API\'s error codes to VS Code\'s file system errors', () => {
    const ctx = { method: 'GET', path: '/x' };
    assert.equal(toFsError(new ApiError(404, 'file_not_found', 'm', ctx)).kind, 'FileNotFound');
    assert.equal(toFsError(new ApiError(409, 'file_exists', 'm', ctx)).kind, 'FileExists');
    assert.equal(toFsError(new ApiError(403, 'outside_workspace', 'm', ctx)).kind, 'NoPermissions');
    assert.equal(toFsError(new ApiError(409, 'is_a_directory', 'm', ctx)).kind, 'FileIsADirectory');
    assert.equal(toFsError(new ApiError(0, 'network_error', 'm', ctx)).kind, 'Unavailable');
    assert.deepEqual(parseHangarUri('p1', '/.opencode/agent/x.md'), { projectId: 'p1', path: '.opencode/agent/x.md' });
    assert.deepEqual(parseHangarUri('p1', '/'), { projectId: 'p1', path: '' });
  });

  it('writes bytes as base64 and reads them back unchanged', async () => {
    const files: Record<string, string> = {};
    const fs = new WorkspaceFs(() => memoryApi(files, ['']));
    await fs.writeFile('p1', 'AGENTS.md', new TextEncoder().encode('héllo\n'), { create: true, overwrite: true });
    assert.equal(files['AGENTS.md'], 'héllo\n');
    assert.equal(new TextDecoder().decode(await fs.readFile('p1', 'AGENTS.md')), 'héllo\n');
    await assert.rejects(fs.writeFile('p1', 'AGENTS.md', new Uint8Array(), { create: true, overwrite: false }), (e: Error & { kind?: string }) => e.kind === 'FileExists');
  });

  it('templates: names opencode accepts, one file per kind in its folder', () => {
    assert.equal(validName('ship-it_2'), undefined);
    assert.ok(validName('../x'));
    assert.ok(validName('a b'));
    assert.equal(pathFor('command', 'ship'), '.opencode/command/ship.md');
    assert.equal(pathFor('tool', 'lint'), '.opencode/tool/lint.ts');
    assert.match(templateFor('command', 'ship'), /^---\ndescription: What \/ship does\n---/);
    assert.match(templateFor('plugin', 'my-guard'), /export const myguardPlugin: Plugin/);
  });

  it('adds and removes an MCP server in opencode.json, keeping every other key', () => {
    const before = JSON.stringify({ model: 'fake/fake-model', mcp: { old: { type: 'remote', url: 'http://a' } } });
    const added = JSON.parse(withMcpServer(before, 'web', { type: 'remote', url: 'http://b', enabled: true })) as Record<string, unknown>;
    assert.equal(added.model, 'fake/fake-model');
    assert.deepEqual(Object.keys(added.mcp as object), ['old', 'web']);
    const removed = JSON.parse(withMcpServer(JSON.stringify(added), 'old', undefined)) as { mcp: object };
    assert.deepEqual(Object.keys(removed.mcp), ['web']);
    assert.ok(!('mcp' in (JSON.parse(withMcpServer('{"mcp":{"x":{}}}', 'x', undefined)) as object)));
    assert.throws(() => withMcpServer('[1]', 'x', {}), /not a JSON object/);
  });
});
