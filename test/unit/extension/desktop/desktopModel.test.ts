import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../../extension/core/apiError';
import { gaveUpMessage, MAX_RECONNECTS } from '../../../../webviews/desktop/reconnect';
import { isDesktopTier, screenshotName, socketOrigin, ticketUrl, unavailableFrom } from '../../../../extension/desktop/desktopModel';
import { contentSecurityPolicy } from '../../../../extension/core/webview/webviewHtml';
import { projectContextValue, PROJECT_STATUSES } from '../../../../extension/projects/containerActions';
import { DESKTOP_MARKER, projectRow } from '../../../../extension/projects/treeModel';
import { aProject, aTier } from '../builders';

interface MenuItem { command: string; when?: string; group?: string }
const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };
const itemMenu = pkg.contributes.menus['view/item/context']!.filter((i) => i.when?.includes('view == hangar.projects'));
function shows(item: MenuItem, contextValue: string): boolean {
  const m = /viewItem =~ \/(.*?)\/(?:\s|$)/.exec(item.when ?? '');
  return m ? new RegExp(m[1]!).test(contextValue) : false;
}

describe('desktop panel model', () => {
  it('builds the ticketed websocket URL on the API origin (ws for http, wss for https)', () => {
    assert.equal(socketOrigin('http://127.0.0.1:7420'), 'ws://127.0.0.1:7420');
    assert.equal(socketOrigin('https://hangar.example.com'), 'wss://hangar.example.com');
    assert.equal(ticketUrl('https://h.example.com/base/', { path: '/api/projects/p1/vnc', ticket: 'a+b' }), 'wss://h.example.com/base/api/projects/p1/vnc?ticket=a%2Bb');
    assert.throws(() => ticketUrl('http://h', { path: 'https://evil.example/x', ticket: 't' }), /unexpected VNC path/);
  });

  it('limits the page\'s connections to the API origin through connect-src', () => {
    const csp = contentSecurityPolicy('vscode-src', 'n0nce', ['ws://127.0.0.1:7420']);
    assert.match(csp, /connect-src ws:\/\/127\.0\.0\.1:7420$/);
    assert.doesNotMatch(contentSecurityPolicy('vscode-src', 'n0nce'), /connect-src/);
  });

  it('turns a refused ticket into words and says whether to retry by itself', () => {
    const ctx = { method: 'POST', path: '/x' };
    assert.deepEqual(unavailableFrom(new ApiError(409, 'project_not_running', 'x', ctx), { name: 'web' }), { message: '“web” is not running. Start it and the desktop reconnects by itself.', retry: false });
    assert.equal(unavailableFrom(new ApiError(0, 'network_error', 'ECONNREFUSED', ctx), undefined).retry, true);
    assert.equal(unavailableFrom(new ApiError(409, 'not_desktop_tier', 'The project is on the lite tier…', ctx), undefined).message, 'The project is on the lite tier…');
  });

  it('a desktop the runtime gave up on offers Redeploy and stops retrying; one restarting retries by itself', () => {
    const ctx = { method: 'POST', path: '/api/projects/p/vnc/ticket' };
    const why = 'The desktop stopped: x11vnc (pid 12) was killed by SIGKILL at 10:00:00 UTC, after 3 restarts within 5 min; supervision gave up. Redeploy the project to get its desktop back.';
    assert.deepEqual(unavailableFrom(new ApiError(409, 'desktop_failed', why, ctx), { name: 'web' }), { message: why, retry: false, action: 'redeploy' });
    assert.deepEqual(unavailableFrom(new ApiError(409, 'desktop_restarting', 'restarting', ctx), { name: 'web' }), { message: 'restarting', retry: true });
  });

  it('stops reconnecting after a bounded number of attempts and says why, with the last reason', () => {
    assert.equal(MAX_RECONNECTS, 6);
    assert.equal(
      gaveUpMessage(MAX_RECONNECTS, 'Could not connect to the desktop; retrying with a new ticket.'),
      'The desktop did not come back after 6 attempts. Last: Could not connect to the desktop. Try again, or restart the project if it stays away.',
    );
  });

  it('knows desktop tiers and names screenshots after the project', () => {
    assert.ok(isDesktopTier(aTier({ imageType: 'desktop' })));
    assert.ok(!isDesktopTier(aTier({ imageType: 'cli', hasDesktopAccess: false })));
    assert.equal(screenshotName('web', new Date('2026-11-25T20:57:03.120Z')), 'web-desktop-2026-11-25T20-57-03.png');
  });

  it('a running desktop-tier row whose desktop the runtime gave up on says "desktop down: redeploy"; a restart alone stays in the tooltip', () => {
    const desktop = aTier({ id: 'desktop', imageType: 'desktop', hasDesktopAccess: true });
    const down = projectRow(aProject({ status: 'running', tierId: 'desktop', statusReason: 'The desktop stopped: x11vnc (pid 9) was killed by SIGKILL at 10:00:00 UTC, after 3 restarts within 5 min; supervision gave up. Redeploy the project to get its desktop back.' }), desktop);
    assert.equal(down.description, 'desktop · running · desktop down: redeploy');
    assert.match(down.tooltip ?? '', /supervision gave up/);
    const restarted = projectRow(aProject({ status: 'running', tierId: 'desktop', statusReason: 'The desktop restarted at 10:00:00 UTC: x11vnc (pid 9) was killed by SIGKILL (restart 1).' }), desktop);
    assert.equal(restarted.description, 'desktop · running');
    assert.match(restarted.tooltip ?? '', /desktop restarted at/);
  });

  it('marks desktop-tier rows: a screen icon, the marker, "Open Desktop" and every usual action still in the menu', () => {
    const desktop = aTier({ id: 'desktop', imageType: 'desktop', hasDesktopAccess: true });
    const row = projectRow(aProject({ status: 'running', tierId: 'desktop' }), desktop);
    assert.ok(row.contextValue.endsWith(DESKTOP_MARKER));
    assert.equal(row.icon.id, 'device-desktop');
    assert.ok(!projectRow(aProject({ status: 'running' }), aTier()).contextValue.endsWith(DESKTOP_MARKER));
    for (const status of PROJECT_STATUSES) {
      for (const agent of [null, 'http://a']) {
        const plain = projectContextValue(aProject({ status, urls: { agent, vnc: null } }));
        const marked = plain + DESKTOP_MARKER;
        const menu = (cv: string) => itemMenu.filter((i) => shows(i, cv)).map((i) => `${i.command}@${i.group}`);
        assert.deepEqual(menu(marked).filter((c) => !c.startsWith('hangar.openDesktop')), menu(plain), marked);
        assert.ok(menu(marked).includes('hangar.openDesktop@navigation@3'), marked);
        assert.equal(menu(marked).includes('hangar.openDesktop@inline@2'), status === 'running', marked);
        assert.ok(!menu(plain).some((c) => c.startsWith('hangar.openDesktop')), plain);
      }
    }
  });
});
