import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProjectStatus } from '../../../../backend/contract';
import {
  actionsFor, availableActions, CONTAINER_ACTIONS, operationOf, optimisticStatus, projectContextValue, PROJECT_STATUSES,
  type ContainerAction,
} from '../../../../extension/projects/containerActions';
import { aProject } from '../builders';

/** The whole table, written out: a change to availability must change this test on purpose. */
const EXPECTED: Record<ProjectStatus, ContainerAction[]> = {
  not_deployed: ['deploy', 'delete'],
  deploying: ['showLogs'],
  starting: ['showLogs', 'copyAgentUrl'],
  running: ['deploy', 'forceDeploy', 'restart', 'stop', 'showLogs', 'copyAgentUrl', 'delete'],
  stopping: ['showLogs'],
  stopped: ['start', 'deploy', 'forceDeploy', 'showLogs', 'copyAgentUrl', 'delete'],
  crashed: ['start', 'retry', 'forceDeploy', 'showLogs', 'delete'],
  failed: ['retry', 'forceDeploy', 'showLogs', 'delete'],
};

/** The context-menu command of each action (package.json `view/item/context`). */
const COMMAND_OF: Record<ContainerAction, string> = {
  deploy: 'hangar.deployContainer',
  forceDeploy: 'hangar.forceDeployContainer',
  retry: 'hangar.retryDeploy',
  start: 'hangar.startContainer',
  stop: 'hangar.stopContainer',
  restart: 'hangar.restartContainer',
  showLogs: 'hangar.showContainerLogs',
  copyAgentUrl: 'hangar.copyAgentUrl',
  delete: 'hangar.deleteProject',
};

interface MenuItem { command: string; when?: string; group?: string }
const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuItem[]> };
};
/** The projects view's item menu (other views, such as Providers, have their own rows). */
const itemMenu = (pkg.contributes.menus['view/item/context'] ?? []).filter((i) => (i.when ?? '').includes('view == hangar.projects'));

/**
 * Evaluates the `view == ... && viewItem =~ /re/` clauses this extension writes (nothing else is allowed), online:
 * `hangar.online` (network-only actions hide while offline, issue 14) holds here.
 */
function shows(item: MenuItem, contextValue: string): boolean {
  const when = item.when ?? '';
  const parts = when.split('&&').map((p) => p.trim());
  return parts.every((p) => {
    if (p === 'view == hangar.projects' || p === 'hangar.online') return true;
    const m = /^viewItem =~ \/(.*)\/$/.exec(p);
    assert.ok(m, `unsupported clause "${p}" in ${item.command}`);
    return new RegExp(m[1]!).test(contextValue);
  });
}

describe('container actions by status', () => {
  for (const status of PROJECT_STATUSES) {
    it(`${status}: offers exactly its actions, with and without an agent URL`, () => {
      assert.deepEqual(actionsFor(status, true), EXPECTED[status]);
      assert.deepEqual(actionsFor(status, false), EXPECTED[status].filter((a) => a !== 'copyAgentUrl'));
    });

    for (const agent of [null, 'http://127.0.0.1:4100']) {
      const project = aProject({ status, urls: { agent, vnc: null } });
      const contextValue = projectContextValue(project);
      it(`${contextValue}: the context menu shows the same actions as the table`, () => {
        const shown = CONTAINER_ACTIONS.filter((a) => itemMenu.some((i) => i.command === COMMAND_OF[a] && !i.group?.startsWith('inline') && shows(i, contextValue)));
        assert.deepEqual(shown, CONTAINER_ACTIONS.filter((a) => availableActions(project).includes(a)));
        const inline = itemMenu.filter((i) => i.group?.startsWith('inline') && shows(i, contextValue)).map((i) => i.command);
        const expectedInline = status === 'running' ? ['hangar.stopContainer'] : status === 'stopped' || status === 'crashed' ? ['hangar.startContainer'] : [];
        assert.deepEqual(inline, expectedInline);
      });
    }
  }

  it('keeps the contextValue to `project.<status>`, plus `.agentUrl` when there is one', () => {
    assert.equal(projectContextValue(aProject({ status: 'running' })), 'project.running');
    assert.equal(projectContextValue(aProject({ status: 'stopped', urls: { agent: 'http://a', vnc: null } })), 'project.stopped.agentUrl');
  });

  it('never offers an action during a transition except watching the logs', () => {
    for (const status of ['deploying', 'starting', 'stopping'] as const) {
      assert.deepEqual(actionsFor(status, false), ['showLogs']);
    }
  });

  it('puts Delete in its own group, last', () => {
    const del = itemMenu.filter((i) => i.command === 'hangar.deleteProject');
    assert.deepEqual(del.map((i) => i.group), ['9_danger@1']);
    assert.equal(itemMenu.at(-1)?.command, 'hangar.deleteProject');
  });

  it('maps actions to operations and transitional statuses', () => {
    assert.deepEqual(operationOf('retry'), { kind: 'deploy', force: false });
    assert.deepEqual(operationOf('forceDeploy'), { kind: 'deploy', force: true });
    assert.deepEqual(operationOf('stop'), { kind: 'stop', force: false });
    assert.equal(operationOf('showLogs'), undefined);
    assert.deepEqual((['deploy', 'start', 'restart', 'stop', 'delete'] as const).map(optimisticStatus),
      ['deploying', 'starting', 'starting', 'stopping', undefined]);
  });
});
