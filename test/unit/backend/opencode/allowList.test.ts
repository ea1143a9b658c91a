import assert from 'node:assert/strict';
import { z } from 'zod';
import { AgentSessionId } from '../../../../backend/contract';
import { PROXIED_ROUTES, upstreamPath } from '../../../../backend/opencode/allowList';

const route = (method: string, path: string) => PROXIED_ROUTES.find((r) => r.method === method && r.path === path)!;

describe('agent proxy allow-list', () => {
  it('accepts opencode session ids and nothing that could leave the path segment', () => {
    assert.ok(AgentSessionId.safeParse('ses_debddb39bffeF7ciUBaqABjYZd').success);
    for (const bad of ['ses_', '../config', 'ses_a/../b', 'ses_a%2Fb', 'ses_a.b', 'msg_abc', 'ses_a b', 'ses_' + 'a'.repeat(81)]) {
      assert.equal(AgentSessionId.safeParse(bad).success, false, bad);
    }
  });

  it('builds the agent path from the route and its validated parameters', () => {
    assert.equal(upstreamPath(route('post', '/session/:sessionID/prompt_async'), { sessionID: 'ses_1' }), '/session/ses_1/prompt_async');
    assert.equal(upstreamPath(route('post', '/permission/:requestID/reply'), { requestID: 'per_9' }), '/permission/per_9/reply');
  });

  it('forwards a slash command with its arguments and nothing else', () => {
    const body = route('post', '/session/:sessionID/command').body!;
    assert.ok(body.safeParse({ command: 'review', arguments: 'src/app.ts' }).success);
    assert.ok(body.safeParse({ command: 'review', arguments: '', agent: 'build', model: 'fake/fake-model' }).success);
    for (const bad of [{ command: 'review' }, { command: '', arguments: '' }, { command: 'x', arguments: '', shell: 'rm -rf /' }]) {
      assert.equal(body.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('passes opencode\'s command list on, a command file without a description (null) included', () => {
    const list = route('get', '/command').response!;
    const parsed = list.parse([{ name: 'init', description: 'guided setup', template: 'x', hints: [] },
      { name: 'relnotes', description: null, agent: null, source: 'command', template: 'y', hints: ['$ARGUMENTS'] }]);
    assert.deepEqual(parsed, [{ name: 'init', description: 'guided setup' }, { name: 'relnotes', description: null, agent: null }]);
  });

  it('passes only workspace-relative file paths', () => {
    const path = (route('get', '/file/content').query!.path as z.ZodType);
    for (const ok of ['src/app.ts', '.', 'a/b..c/d', '.github/x.yml']) assert.ok(path.safeParse(ok).success, ok);
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', 'a\\..\\x', 'C:\\x', '\\\\server\\share', 'a\0b']) assert.equal(path.safeParse(bad).success, false, bad);
  });

  it('never lets directory or workspace through, and puts /session/status before /session/:sessionID', () => {
    for (const r of PROXIED_ROUTES) assert.ok(!Object.keys(r.query ?? {}).some((k) => k === 'directory' || k === 'workspace'), r.path);
    const paths = PROXIED_ROUTES.filter((r) => r.method === 'get').map((r) => r.path);
    assert.ok(paths.indexOf('/session/status') < paths.indexOf('/session/:sessionID'));
  });
});
