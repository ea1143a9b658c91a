import assert from 'node:assert/strict';
import { effectivePermissions } from '../../../../backend/settings/permissions';
import {
  policyConfig, policyPermission, policyViolations, wildcardMatch,
} from '../../../../backend/settings/permissionPolicy';

describe('settings/permissionPolicy', () => {
  it('holds only the keys the user or the project set: a tool at opencode\'s default is left to the workspace', () => {
    const eff = effectivePermissions({ bash: 'deny' }, { mcp: 'ask' });
    assert.deepEqual(policyPermission(eff, ['github']), { bash: 'deny', 'github_*': 'ask' });
    const writeOnly = effectivePermissions({ write: 'deny' }, {});
    assert.deepEqual(policyPermission(writeOnly, []), { edit: 'deny' }, 'write is checked under edit');
    assert.deepEqual(policyPermission(effectivePermissions({}, {}), ['github']), {});
  });

  it('repeats Hangar\'s value in each agent whose own permission names the key, or is one action for all', () => {
    const config = policyConfig({ bash: 'deny' }, {
      build: { permission: { bash: 'allow', read: 'allow' } },
      helper: { permission: 'allow' },
      plan: { permission: { edit: 'deny' } },
      docs: { description: 'no permission of its own' },
    });
    assert.deepEqual(config, {
      $schema: 'https://opencode.ai/config.json',
      permission: { bash: 'deny' },
      agent: {
        build: { permission: { bash: 'deny' } },
        helper: { permission: { '*': 'allow', bash: 'deny' } },
      },
    });
    assert.deepEqual(Object.keys((config.agent as { helper: { permission: object } }).helper.permission), ['*', 'bash'],
      'the agent\'s own catch-all first, so Hangar\'s rule is the last that matches');
    assert.deepEqual(policyConfig({}, { build: { permission: 'allow' } }), { $schema: 'https://opencode.ai/config.json', permission: {} });
  });

  it('matches like opencode: * any text, ? one character, a trailing " *" also matches the bare command', () => {
    assert.ok(wildcardMatch('bash', '*'));
    assert.ok(wildcardMatch('bash', 'ba?h'));
    assert.ok(!wildcardMatch('bash', 'edit'));
    assert.ok(wildcardMatch('git', 'git *'));
    assert.ok(wildcardMatch('git push', 'git *'));
    assert.ok(!wildcardMatch('gitk', 'git *'));
    assert.ok(wildcardMatch('a.b', 'a.b') && !wildcardMatch('axb', 'a.b'), 'a dot is literal');
  });

  it('finds a rule ordered after Hangar\'s that changes the outcome, and nothing when Hangar\'s rule is last', () => {
    const rule = (permission: string, pattern: string, action: string) => ({ permission, pattern, action });
    const ok = [{ name: 'build', permission: [rule('*', '*', 'allow'), rule('bash', '*', 'deny')] }];
    assert.deepEqual(policyViolations(ok, { bash: 'deny' }), []);
    const beaten = [{ name: 'build', permission: [rule('bash', '*', 'deny'), rule('*', '*', 'allow')] }];
    assert.deepEqual(policyViolations(beaten, { bash: 'deny' }), ['agent build: bash * is allow (rule * *), not deny']);
    const rules = [{ name: 'build', permission: [rule('bash', '*', 'ask'), rule('bash', 'git *', 'allow')] }];
    assert.deepEqual(policyViolations(rules, { bash: { '*': 'ask', 'git *': 'allow' } }), []);
    assert.deepEqual(policyViolations(rules, { bash: { '*': 'ask', 'git *': 'deny' } }),
      ['agent build: bash git * is allow (rule bash git *), not deny']);
  });
});
