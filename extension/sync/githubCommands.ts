import * as vscode from 'vscode';
import type { GithubCredentialInfo, Project } from '../../backend/contract';
import type { ImportFromGithubArgs, SetGithubTokenArgs } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import type { SecretRegistry } from '../core/redact';
import { tierPicks } from '../projects/treeModel';
import { showError } from '../core/userErrors';
import { branchProblem, hostChoices, hostProblem, projectNameProblem, repositoryHost, repositoryUrlProblem, tokenProblem } from './githubInput';
import type { Notices } from './notices';
import { repositoryName } from './repoMatch';

type Handlers = Pick<CommandHandlers, 'hangar.setGithubToken' | 'hangar.importFromGithub'>;

/**
 * "Set GitHub Token" and "Import from GitHub…". The token goes from the password box to the API and
 * nowhere else: not stored by the extension, registered with the log's redaction, never logged.
 */
export function githubCommands(session: HangarSession, log: Logger, secretRegistry: SecretRegistry, notices: Notices): Handlers {
  async function setToken(args?: SetGithubTokenArgs): Promise<Omit<GithubCredentialInfo, 'createdAt'> | undefined> {
    const api = session.api; // "not connected" before any prompt
    const token = args?.token ?? await vscode.window.showInputBox({
      title: 'Hangar: Set GitHub Token',
      prompt: 'A GitHub personal access token with the "repo" scope (classic) or contents read/write (fine-grained). It is stored encrypted by the Hangar server, not in VS Code.',
      placeHolder: 'ghp_… or github_pat_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: tokenProblem,
    });
    if (token === undefined) return undefined;
    const problem = tokenProblem(token);
    if (problem) throw new Error(`the token is not valid: ${problem}`);
    const host = args?.host ?? (args?.token ? undefined : await pickHost());
    if (host === null) return undefined;
    secretRegistry.add(token.trim());
    try {
      const info = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Saving the token for ${host ?? 'github.com'}…` },
        () => api.setGithubCredential(token.trim(), host));
      log.info(`git token saved on the server for ${info.host ?? 'github.com'}${info.hint ? ` (${info.hint})` : ''}`);
      const others = info.hosts.filter((h) => h.host !== info.host).map((h) => h.host);
      void vscode.window.showInformationMessage(`Hangar: token saved for ${info.host ?? 'github.com'}${info.login ? ` (${info.login})` : ''}${info.hint ? ` (${info.hint})` : ''}. `
        + `Projects on ${info.host ?? 'github.com'} can now import, push and pull private repositories.${others.length ? ` Your tokens for ${others.join(', ')} are kept.` : ''}`);
      return { configured: info.configured, hint: info.hint, host: info.host, login: info.login, hosts: info.hosts };
    } catch (e) {
      void showError('Could not save the token', e, { 'Try Again': () => setToken() });
      return undefined;
    } finally {
      secretRegistry.remove(token.trim());
    }
  }

  /**
   * Which host the token is for, asked every time: github.com, the hosts of your projects, the
   * hosts that have a token (replacing it), or another one typed in. undefined = github.com; null
   * when cancelled.
   */
  async function pickHost(): Promise<string | undefined | null> {
    const existing = await session.api.githubCredential().then((i) => i.hosts, () => []);
    const hosts = hostChoices(session.store.projects.map((p) => p.repository?.url), existing.map((h) => h.host));
    const OTHER = 'Another host…';
    const picked = await vscode.window.showQuickPick([
      ...hosts.map((h) => {
        const has = existing.find((e) => e.host === h);
        return { label: h, description: has ? `replaces the token ${has.hint}` : h === 'github.com' ? 'GitHub' : 'used by your projects' };
      }),
      { label: OTHER, description: 'GitHub Enterprise or another git host' },
    ], { title: 'Hangar: Set GitHub Token — for which host?', placeHolder: 'The token is only ever sent to this host; tokens of other hosts are kept', ignoreFocusOut: true });
    if (!picked) return null;
    if (picked.label !== OTHER) return picked.label === 'github.com' ? undefined : picked.label;
    const typed = await vscode.window.showInputBox({
      title: 'Hangar: Set GitHub Token — host', prompt: 'The host name (and :port if not 443) of the git server, as in the repository URL',
      placeHolder: 'github.example.com', ignoreFocusOut: true, validateInput: hostProblem,
    });
    return typed === undefined ? null : typed.trim().toLowerCase();
  }

  async function importFromGithub(args?: ImportFromGithubArgs): Promise<Project | undefined> {
    const api = session.api;
    const url = args?.url ?? await vscode.window.showInputBox({
      title: 'Import from GitHub (1/4): repository',
      prompt: 'The https URL of the repository; the project\'s workspace is cloned from it',
      placeHolder: 'https://github.com/owner/repo',
      ignoreFocusOut: true,
      validateInput: repositoryUrlProblem,
    });
    if (url === undefined) return undefined;
    const urlProblem = repositoryUrlProblem(url);
    if (urlProblem) {
      void notices.raise('failed', 'error', undefined, `Hangar: "${url.slice(0, 100)}" is not a valid repository URL: ${urlProblem}.`);
      return undefined;
    }

    const branch = args?.branch ?? (args ? 'main' : await vscode.window.showInputBox({
      title: 'Import from GitHub (2/4): branch', prompt: 'The branch the project works on and syncs with', value: 'main', ignoreFocusOut: true,
      validateInput: branchProblem,
    }));
    if (branch === undefined) return undefined;
    const badBranch = branchProblem(branch);
    if (badBranch) {
      void notices.raise('failed', 'error', undefined, `Hangar: "${branch.slice(0, 100)}" is not a valid branch: ${badBranch}.`);
      return undefined;
    }

    const name = args?.name ?? (args ? repositoryName(url) ?? 'imported' : await vscode.window.showInputBox({
      title: 'Import from GitHub (3/4): project name', value: repositoryName(url) ?? '', ignoreFocusOut: true,
      validateInput: projectNameProblem,
    }));
    if (name === undefined) return undefined;

    let tierId = args?.tierId;
    if (!args) {
      const tiers = session.store.tiers.length ? session.store.tiers : await api.tiers();
      const tier = await vscode.window.showQuickPick(tierPicks(tiers), {
        title: `Import from GitHub (4/4): container tier for "${name.trim()}"`, placeHolder: 'CPU, memory and storage of the project\'s container',
        matchOnDescription: true, ignoreFocusOut: true,
      });
      if (!tier) return undefined;
      tierId = tier.tierId;
      // The token that counts is the one for the repository's host, not any token.
      const host = repositoryHost(url);
      const credential = host ? await api.githubCredential(host).catch(() => undefined) : undefined;
      if (host && credential && !credential.configured) {
        const go = 'Import Anyway';
        const set = 'Set Token';
        const others = credential.hosts.length ? ` (you have tokens for ${credential.hosts.map((h) => h.host).join(', ')}, which are never sent to ${host})` : '';
        const answer = await vscode.window.showWarningMessage(`Hangar: no token is set for ${host}${others}: only a public repository can be imported, and pushing needs one.`, { modal: true }, set, go);
        if (answer === set) {
          if (!(await setToken({ host }))) return undefined;
        } else if (answer !== go) {
          return undefined;
        }
      }
    }
    // The Create Project flow with its arguments: same request, errors and tree update.
    return vscode.commands.executeCommand<Project | undefined>('hangar.createProject', {
      name: name.trim(), ...(tierId ? { tierId } : {}), providerOverride: null,
      repository: { url: url.trim(), branch: branch.trim() },
    });
  }

  return { 'hangar.setGithubToken': setToken, 'hangar.importFromGithub': importFromGithub };
}
