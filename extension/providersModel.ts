import type { CredentialMeta, DefaultModel, ModelSummary, ProviderSummary } from '../backend/contract';
import { md, type RowModel } from './treeModel';

/** What the Providers view and the provider commands work from; built without vscode so it is unit-tested. */
export interface ProvidersData {
  /** Configured providers (a credential, or a custom provider). */
  providers: ProviderSummary[];
  credentials: CredentialMeta[];
  defaultModel: DefaultModel;
}

export type LoadStatus = { kind: 'idle' } | { kind: 'loading' } | { kind: 'loaded' } | { kind: 'error'; message: string };

/** How a provider is signed in to. Only API keys are built in the extension so far. */
export type SignInFlow = { kind: 'api-key' } | { kind: 'unsupported'; message: string };

export function signInFlow(p: Pick<ProviderSummary, 'id' | 'name' | 'authMethods'>): SignInFlow {
  if (p.authMethods.includes('api')) return { kind: 'api-key' };
  if (p.authMethods.includes('oauth-device')) {
    return { kind: 'unsupported', message: `Signing in to ${p.name} uses GitHub's device flow, which the extension does not support yet. Store a token through the API instead (POST /api/providers/${p.id}/credentials).` };
  }
  return { kind: 'unsupported', message: `${p.name} signs in through a browser redirect, which the extension does not support yet.` };
}

/** "12 models · configured" */
export function providerDescription(p: Pick<ProviderSummary, 'modelCount' | 'configured' | 'isDefault' | 'custom'>): string {
  const parts = [`${p.modelCount} model${p.modelCount === 1 ? '' : 's'}`];
  if (p.custom) parts.push('custom');
  if (p.configured) parts.push('configured');
  if (p.isDefault) parts.push('default');
  return parts.join(' · ');
}

export interface ProviderPick { label: string; description: string; detail?: string; providerId: string }

/** The Configure Provider picker: the whole catalog, configured ones first, then by name. */
export function catalogPicks(providers: ProviderSummary[]): ProviderPick[] {
  return [...providers]
    .sort((a, b) => Number(b.configured) - Number(a.configured) || a.name.localeCompare(b.name))
    .map((p) => ({ label: p.name, description: providerDescription(p), detail: p.id, providerId: p.id }));
}

/** Status of one configured provider: ok, or expired (an OAuth token past its expiry needs a new sign-in). */
export function providerStatus(cred: CredentialMeta | undefined, custom: boolean, now = Date.now()): { text: string; icon: { id: string; color?: string } } {
  if (!cred) return custom ? { text: 'custom, no key', icon: { id: 'server' } } : { text: 'ok', icon: { id: 'pass', color: 'testing.iconPassed' } };
  if (cred.expiresAt && Date.parse(cred.expiresAt) <= now) return { text: 'needs sign-in', icon: { id: 'warning', color: 'problemsWarningIcon.foreground' } };
  return { text: 'ok', icon: { id: 'pass', color: 'testing.iconPassed' } };
}

/** One row per configured provider, the default starred first. */
export function providerRows(data: ProvidersData, now = Date.now()): RowModel[] {
  const creds = new Map(data.credentials.map((c) => [c.providerId, c]));
  const isDefault = (p: ProviderSummary) => p.isDefault || data.defaultModel.providerId === p.id;
  return [...data.providers]
    .sort((a, b) => Number(isDefault(b)) - Number(isDefault(a)) || a.name.localeCompare(b.name))
    .map((p) => {
      const cred = creds.get(p.id);
      const status = providerStatus(cred, p.custom, now);
      const def = isDefault(p);
      const model = def && data.defaultModel.modelId ? ` · ${data.defaultModel.modelId}` : '';
      const description = [status.text, cred?.hint, def ? `default${model}` : undefined].filter(Boolean).join(' · ');
      const tooltip = [
        `**${md(p.name)}** (${md(p.id)})`,
        `Status: ${status.text}`,
        cred ? `Key: \`${cred.hint.replace(/`/g, '')}\` · updated ${cred.updatedAt}` : p.custom ? 'Custom provider' : undefined,
        def ? `Default${model ? `: ${md(data.defaultModel.modelId!)}` : ''}` : undefined,
      ].filter(Boolean).join('\n\n');
      return {
        id: `provider:${p.id}`,
        label: p.name,
        description,
        tooltip,
        contextValue: def ? 'provider.default' : 'provider',
        icon: def ? { id: 'star-full', color: 'charts.yellow' } : status.icon,
      };
    });
}

/** Model picks for Set Default Provider: the current default first, then by name. */
export function modelPicks(models: ModelSummary[], current: DefaultModel, providerId: string): Array<{ label: string; description: string; modelId: string }> {
  const isCurrent = (m: ModelSummary) => current.providerId === providerId && current.modelId === m.id;
  return [...models]
    .sort((a, b) => Number(isCurrent(b)) - Number(isCurrent(a)) || Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name))
    .map((m) => {
      const ctx = m.limit.context ? `${Math.round(m.limit.context / 1000)}k context` : undefined;
      const cost = m.cost?.input != null && m.cost.output != null ? `$${m.cost.input}/$${m.cost.output} per 1M` : undefined;
      return { label: m.name, description: [m.id, ctx, cost, isCurrent(m) ? 'current default' : undefined].filter(Boolean).join(' · '), modelId: m.id };
    });
}

/** Create Project's provider step: "Use default (X)" and every configured provider; `providerId` null = the default. */
export function projectProviderPicks(configured: ProviderSummary[], def: DefaultModel): Array<{ label: string; description?: string; providerId: string | null }> {
  const defName = def.providerId ? configured.find((p) => p.id === def.providerId)?.name ?? def.providerId : undefined;
  const first = {
    label: defName ? `Use default (${defName})` : 'Use default',
    description: defName ? (def.modelId ?? undefined) : 'no default provider set: "Hangar: Set Default Provider"',
    providerId: null,
  };
  return [first, ...[...configured].sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({ label: p.name, description: providerDescription(p), providerId: p.id }))];
}
