import * as vscode from 'vscode';
import type { GithubCredentialInfo, Project } from '../../backend/contract';
import type { ImportFromGithubArgs, SetGithubTokenArgs } from '../commandIds';
import type { CommandHandlers } from '../commandRegistry';
import type { HangarSession } from '../hangarSession';
import type { Logger } from '../ports';
import type { SecretRegistry } from '../redact';
import { tierPicks } from '../treeModel';
import { showError } from '../userErrors';
import { branchProblem, projectNameProblem, repositoryUrlProblem, tokenProblem } from './githubInput';
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
        { location: vscode.ProgressLocation.Notification, title: 'Saving the GitHub token…' },
        () => api.setGithubCredential(token.trim(), host));
      log.info(`GitHub token saved on the server${info.hint ? ` (${info.hint})` : ''}`);
      void vscode.window.showInformationMessage(`Hangar: GitHub token saved${info.login ? ` for ${info.login}` : ''}${info.hint ? ` (${info.hint})` : ''}. Projects can now import, push and pull private repositories.`);
      return { configured: info.configured, hint: info.hint, host: info.host, login: info.login };
    } catch (e) {
      void showError('Could not save the GitHub token', e, { 'Try Again': () => setToken() });
      return undefined;
    } finally {
      secretRegistry.remove(token.trim());
    }
  }

  /** github.com unless a project's repository is on another host (GitHub Enterprise); null when cancelled. */
  async function pickHost(): Promise<string | undefined | null> {
    const hosts = new Set(['github.com']);
    for (const p of session.store.projects) {
      try { if (p.repository) hosts.add(new URL(p.repository.url).host.toLowerCase()); } catch { /* the API validated it */ }
    }
    if (hosts.size === 1) return undefined;
    const picked = await vscode.window.showQuickPick([...hosts].map((h) => ({ label: h, description: h === 'github.com' ? 'GitHub' : 'used by your projects' })), {
      title: 'Hangar: Set GitHub Token — for which host?', placeHolder: 'The token is only ever sent to this host', ignoreFocusOut: true,
    });
    return picked ? (picked.label === 'github.com' ? undefined : picked.label) : null;
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
      const credential = await api.githubCredential().catch(() => undefined);
      if (credential && !credential.configured) {
        const go = 'Import Anyway';
        const set = 'Set GitHub Token';
        const answer = await vscode.window.showWarningMessage('Hangar: no GitHub token is set: only a public repository can be imported, and pushing needs one.', { modal: true }, go, set);
        if (answer === set) {
          if (!(await setToken())) return undefined;
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
