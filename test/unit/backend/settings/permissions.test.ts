import assert from 'node:assert/strict';
import { effectivePermissions, mcpToolPattern, needsReset, opencodePermission } from '../../../../backend/settings/permissions';

describe('settings/permissions', () => {
  it('takes each tool from the project, else the user, else opencode (allow), and says where from', () => {
    const eff = effectivePermissions({ bash: 'ask', edit: 'deny' }, { bash: 'deny', webfetch: 'ask' });
    assert.deepEqual(eff.tools, {
      bash: { action: 'deny', source: 'project' },
      edit: { action: 'deny', source: 'user' },
      write: { action: 'allow', source: 'default' },
      webfetch: { action: 'ask', source: 'project' },
      mcp: { action: 'allow', source: 'default' },
    });
    assert.deepEqual(eff.bashRules, { rules: [], source: 'default' });
  });

  it('a project\'s bash rules replace the user\'s as a whole; an empty list still overrides', () => {
    const user = { bashRules: [{ pattern: 'git *', action: 'allow' as const }] };
    assert.deepEqual(effectivePermissions(user, {}).bashRules, { rules: user.bashRules, source: 'user' });
    assert.deepEqual(effectivePermissions(user, { bashRules: [] }).bashRules, { rules: [], source: 'project' });
  });

  it('writes opencode\'s permission: bash rules after "*", the stricter of edit/write as edit, one rule per MCP server', () => {
    const eff = effectivePermissions({
      bash: 'ask', edit: 'allow', write: 'deny', webfetch: 'ask', mcp: 'ask',
      bashRules: [{ pattern: 'git *', action: 'allow' }, { pattern: 'git push *', action: 'ask' }],
    }, {});
    const permission = opencodePermission(eff, ['github', 'my server']);
    assert.deepEqual(permission, {
      bash: { '*': 'ask', 'git *': 'allow', 'git push *': 'ask' },
      edit: 'deny', webfetch: 'ask',
      'github_*': 'ask', 'my_server_*': 'ask',
    });
    assert.deepEqual(Object.keys(permission.bash as object), ['*', 'git *', 'git push *'], 'the order opencode reads');
    assert.equal(mcpToolPattern('a.b/c'), 'a_b_c_*');
  });

  it('needs a reset only when PATCH cannot express the change', () => {
    const next = { bash: { '*': 'ask', 'git *': 'allow' }, edit: 'allow' };
    assert.equal(needsReset(undefined, next), false);
    assert.equal(needsReset({ bash: 'deny', edit: 'ask' }, { bash: 'ask', edit: 'allow' }), false, 'strings replace strings');
    assert.equal(needsReset({ bash: { '*': 'ask' } }, next), false, 'a rule added at the end');
    assert.equal(needsReset({ bash: 'deny' }, next), true, 'an object cannot replace a string');
    assert.equal(needsReset({ bash: { '*': 'ask', 'rm *': 'deny' } }, next), true, 'a rule removed');
    assert.equal(needsReset({ bash: { 'git *': 'allow', '*': 'ask' } }, next), true, 'rules reordered');
    assert.equal(needsReset({ bash: 'ask', edit: 'ask', 'old_*': 'ask' }, { bash: 'ask', edit: 'ask' }), true, 'an MCP server gone');
  });
});
