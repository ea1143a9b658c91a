import * as vscode from 'vscode';
import type { ConnectionTestResult, EffectiveModel } from '../../backend/contract';
import type { AddCustomProviderArgs, ProjectRowArg, SetProjectModelArgs, TestProviderConnectionArgs } from '../core/commandIds';
import { pickProject, projectIdOf } from '../projects/projectPicker';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { catalogPicks, modelPicks, projectProviderPicks } from './providersModel';
import { showError } from '../core/userErrors';
import { parseModelsSpec, providerIdFrom } from './customProviderSpec';

/** "ok in 84 ms: api.openai.com accepted the credential." */
export function verdictText(name: string, r: ConnectionTestResult): string {
  const head = r.verdict === 'ok' ? 'works' : r.verdict === 'bad_key' ? 'rejected the credential' : r.verdict === 'no_access' ? 'refuses access' : 'is unreachable';
  return `${name} ${head} (${r.latencyMs} ms). ${r.message}`;
}

/** The palette commands for connection tests, custom providers and a project's model. */
export class ProviderCommands {
  constructor(
    private readonly session: HangarSession,
    private readonly log: Logger,
    private readonly onTested: (providerId: string, r: ConnectionTestResult) => void,
  ) {}

  /** hangar.testProviderConnection: a configured provider (or the row's), one real call, the verdict and latency. */
  async test(args?: TestProviderConnectionArgs): Promise<ConnectionTestResult | undefined> {
    const api = this.session.api;
    let providerId = args?.providerId;
    let name: string;
    if (providerId) {
      // A row or a toast names it by id: the messages use the name people see in the Providers view.
      const id = providerId;
      name = (await api.providers({ configured: true }).catch(() => undefined))?.items.find((p) => p.id === id)?.name ?? id;
    } else {
      const list = (await api.providers({ configured: true })).items;
      if (!list.length) {
        void vscode.window.showInformationMessage('Hangar: no provider is configured yet.', 'Configure Provider').then((c) => {
          if (c) void vscode.commands.executeCommand('hangar.configureProvider');
        });
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(catalogPicks(list), { title: 'Test Provider Connection', placeHolder: 'The provider to test' });
      if (!picked) return undefined;
      providerId = picked.providerId;
      name = picked.label;
    }
    let result: ConnectionTestResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Testing ${name}…` }, () => api.testProvider(providerId));
    } catch (e) {
      await showError(`Could not test ${name}`, e);
      return undefined;
    }
    this.onTested(providerId, result);
    this.log.info(`connection test of ${providerId}: ${result.verdict} in ${result.latencyMs} ms`);
    const text = `Hangar: ${verdictText(name ?? providerId, result)}`;
    if (result.verdict === 'ok') void vscode.window.showInformationMessage(text);
    else {
      void vscode.window.showWarningMessage(text, 'Configure Provider').then((c) => {
        if (c) void vscode.commands.executeCommand('hangar.configureProvider', { providerId });
      });
    }
    return result;
  }

  /** hangar.addCustomProvider: name, base URL, optional key, models with context limits. */
  async addCustom(args?: AddCustomProviderArgs): Promise<boolean> {
    const step = (n: number) => `Add Custom Provider (${n}/4)`;
    const name = args?.name ?? await vscode.window.showInputBox({
      title: step(1), prompt: 'A name, like "Ollama" or "Company gateway"', ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'a name is required'),
    });
    if (!name) return false;
    const baseURL = args?.baseURL ?? await vscode.window.showInputBox({
      title: step(2), prompt: 'The OpenAI-compatible base URL (ends before /chat/completions)', value: 'http://127.0.0.1:11434/v1', ignoreFocusOut: true,
      validateInput: (v) => (/^https?:\/\/[^\s/]+/.test(v.trim()) ? undefined : 'an http:// or https:// URL'),
    });
    if (!baseURL) return false;
    const apiKey = args ? args.apiKey : await vscode.window.showInputBox({
      title: step(3), prompt: 'Its API key; leave empty for a local server that needs none. Stored encrypted on the Hangar server.', password: true, ignoreFocusOut: true,
      validateInput: (v) => (!v || /^\S+$/.test(v.trim()) ? undefined : 'an API key has no spaces'),
    });
    if (apiKey === undefined && !args) return false;
    const modelsText = args?.models ?? await vscode.window.showInputBox({
      title: step(4), prompt: 'Its models with context/output limits in tokens: "llama3:8b=8192/2048, qwen2.5-coder=32k"', ignoreFocusOut: true,
      validateInput: (v) => { const r = parseModelsSpec(v); return 'error' in r ? r.error : undefined; },
    });
    if (!modelsText) return false;
    const parsed = parseModelsSpec(modelsText);
    if ('error' in parsed) {
      void vscode.window.showErrorMessage(`Hangar: ${parsed.error}.`);
      return false;
    }
    const id = args?.id ?? providerIdFrom(name);
    try {
      const created = await this.session.api.createCustomProvider({
        id, name: name.trim(), baseURL: baseURL.trim(), models: parsed.models, ...(apiKey?.trim() ? { apiKey: apiKey.trim() } : {}),
      });
      this.log.info(`custom provider ${created.id} saved (${created.models.length} models, key: ${created.hasKey ? 'yes' : 'no'})`);
      void vscode.window.showInformationMessage(`Hangar: ${created.name} is configured with ${created.models.length} model(s).`, 'Test Connection').then((c) => {
        if (c) void vscode.commands.executeCommand('hangar.testProviderConnection', { providerId: created.id });
      });
      return true;
    } catch (e) {
      await showError(`Could not add ${name}`, e);
      return false;
    }
  }

  /** hangar.setProjectModel: "Use default (X)" or a configured provider, then its model. */
  async setProjectModel(args?: SetProjectModelArgs | ProjectRowArg): Promise<EffectiveModel | undefined> {
    const api = this.session.api;
    const projectId = projectIdOf(args) ?? (await pickProject(this.session, { title: 'Set Project Provider and Model', placeHolder: 'The project' }))?.id;
    if (!projectId) return undefined;
    const given = args && 'providerId' in args && args.providerId !== undefined ? args : undefined;
    let providerId: string | null;
    let modelId: string | null = given?.modelId ?? null;
    if (given) providerId = given.providerId ?? null;
    else {
      const [list, def, current] = await Promise.all([api.providers({ configured: true }), api.defaultModel(), api.projectModel(projectId)]);
      const picked = await vscode.window.showQuickPick(projectProviderPicks(list.items, def), {
        title: 'Set Project Provider and Model (1/2)', placeHolder: `Now: ${current.providerId ?? 'none'}${current.modelId ? ` · ${current.modelId}` : ''} (${current.source})`,
      });
      if (!picked) return undefined;
      providerId = picked.providerId;
      if (providerId) {
        const models = await api.providerModels(providerId);
        const pickedModel = await vscode.window.showQuickPick(modelPicks(models, def, providerId), { title: `Set Project Provider and Model (2/2): model of ${providerId}`, matchOnDescription: true });
        if (!pickedModel) return undefined;
        modelId = pickedModel.modelId;
      }
    }
    try {
      const eff = await api.setProjectModel(projectId, { providerId, modelId: providerId ? modelId : null });
      this.log.info(`project ${projectId} now uses ${eff.providerId ?? 'no provider'}${eff.modelId ? `/${eff.modelId}` : ''} (${eff.source})`);
      void vscode.window.showInformationMessage(`Hangar: the project uses ${eff.providerId ?? 'no provider'}${eff.modelId ? ` · ${eff.modelId}` : ''}${eff.source === 'user-default' ? ' (your default)' : ''}; it applies at the next deploy.`);
      return eff;
    } catch (e) {
      await showError('Could not set the project\'s model', e);
      return undefined;
    }
  }
}
