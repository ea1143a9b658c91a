import type { AuthMethod, ConnectionTestResult, CredentialMeta, DefaultModel, ModelSummary, ProviderSummary } from '../../backend/contract';
import { tokenCountText } from '../../webviews/shared/units';
import { md, type RowModel } from '../projects/treeModel';

/** What the Providers view and the provider commands work from; built without vscode so it is unit-tested. */
export interface ProvidersData {
  /** Configured providers (a credential, or a custom provider). */
  providers: ProviderSummary[];
  credentials: CredentialMeta[];
  defaultModel: DefaultModel;
  /** The last Test Provider Connection result per provider (this window only). */
  tests?: ReadonlyMap<string, ConnectionTestResult>;
}

export type LoadStatus = { kind: 'idle' } | { kind: 'loading' } | { kind: 'loaded' } | { kind: 'error'; message: string };

/** One way to configure a provider, as the picker offers it. */
export interface SignInChoice { method: AuthMethod; label: string; detail: string }

/**
 * The ways a provider can be configured, best first: GitHub's device flow, a browser sign-in, then
 * an API key. The provider's note (Anthropic's subscription policy) is shown with the API key.
 */
export function signInChoices(p: Pick<ProviderSummary, 'id' | 'name' | 'authMethods' | 'signInNote' | 'env'>): SignInChoice[] {
  const choices: SignInChoice[] = [];
  if (p.authMethods.includes('oauth-device')) {
    choices.push({ method: 'oauth-device', label: '$(github) Sign in with GitHub', detail: 'Type a short code on GitHub; Hangar stores the token encrypted on the server.' });
  }
  if (p.authMethods.includes('oauth-redirect')) {
    choices.push({ method: 'oauth-redirect', label: '$(globe) Sign in with the browser', detail: `Opens ${p.name}'s sign-in page; you come back to VS Code (or paste the code it shows).` });
  }
  if (p.authMethods.includes('api')) {
    const env = p.env.length ? ` (the key you would put in ${p.env.join(' or ')})` : '';
    choices.push({ method: 'api', label: '$(key) API key', detail: p.signInNote && !choices.length ? p.signInNote : `Paste an API key${env}.` });
  }
  return choices;
}

/** A label for the picker row: the methods a provider supports. */
export function authMethodsLabel(methods: AuthMethod[]): string {
  return methods.map((m) => (m === 'api' ? 'API key' : m === 'oauth-device' ? 'GitHub sign-in' : 'browser sign-in')).join(', ');
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
    .map((p) => ({
      label: p.name, description: providerDescription(p),
      detail: [p.id, authMethodsLabel(p.authMethods), p.signInNote && !p.authMethods.some((m) => m !== 'api') ? p.signInNote : undefined].filter(Boolean).join(' · '),
      providerId: p.id,
    }));
}

export type ProviderHealth = 'ok' | 'needs sign-in' | 'failing' | 'custom, no key';

/**
 * Status of one configured provider: needs sign-in (a refresh failed, or an OAuth token past its
 * expiry), failing (the last connection test in this window did not pass), else ok.
 */
export function providerStatus(
  cred: CredentialMeta | undefined, custom: boolean, now = Date.now(), test?: ConnectionTestResult,
): { text: ProviderHealth; icon: { id: string; color?: string } } {
  const needsSignIn = { text: 'needs sign-in' as const, icon: { id: 'warning', color: 'problemsWarningIcon.foreground' } };
  if (cred?.status === 'needs_sign_in') return needsSignIn;
  if (cred?.type === 'oauth' && cred.expiresAt && Date.parse(cred.expiresAt) <= now) return needsSignIn;
  if (test && test.verdict !== 'ok') return { text: 'failing', icon: { id: 'error', color: 'errorForeground' } };
  if (!cred && custom) return { text: 'custom, no key', icon: { id: 'server' } };
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
      const test = data.tests?.get(p.id);
      const status = providerStatus(cred, p.custom, now, test);
      const def = isDefault(p);
      const model = def && data.defaultModel.modelId ? ` · ${data.defaultModel.modelId}` : '';
      const description = [status.text, cred?.hint, def ? `default${model}` : undefined].filter(Boolean).join(' · ');
      const tooltip = [
        `**${md(p.name)}** (${md(p.id)})`,
        `Status: ${status.text}`,
        cred?.status === 'needs_sign_in' && cred.statusReason ? md(cred.statusReason) : undefined,
        test ? `Last test: ${test.verdict.replace('_', ' ')} in ${test.latencyMs} ms. ${md(test.message)}` : undefined,
        cred ? `${cred.type === 'oauth' ? 'Token' : 'Key'}${cred.hint ? `: \`${cred.hint.replace(/`/g, '')}\`` : ''} · updated ${cred.updatedAt}${cred.expiresAt ? ` · expires ${cred.expiresAt}` : ''}` : p.custom ? 'Custom provider' : undefined,
        def ? `Default${model ? `: ${md(data.defaultModel.modelId!)}` : ''}` : undefined,
      ].filter(Boolean).join('\n\n');
      return {
        id: `provider:${p.id}`,
        label: p.name,
        description,
        tooltip,
        contextValue: status.text === 'needs sign-in' ? 'provider.signIn' : def ? 'provider.default' : 'provider',
        icon: def && status.text === 'ok' ? { id: 'star-full', color: 'charts.yellow' } : status.icon,
      };
    });
}

/** Model picks for Set Default Provider: the current default first, then by name. */
export function modelPicks(models: ModelSummary[], current: DefaultModel, providerId: string): Array<{ label: string; description: string; modelId: string }> {
  const isCurrent = (m: ModelSummary) => current.providerId === providerId && current.modelId === m.id;
  return [...models]
    .sort((a, b) => Number(isCurrent(b)) - Number(isCurrent(a)) || Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name))
    .map((m) => {
      const ctx = m.limit.context ? `${tokenCountText(m.limit.context)} context` : undefined;
      const cost = m.cost?.input != null && m.cost.output != null ? `$${m.cost.input}/$${m.cost.output} per 1M` : undefined;
      return { label: m.name, description: [m.id, ctx, cost, isCurrent(m) ? 'current default' : undefined].filter(Boolean).join(' · '), modelId: m.id };
    });
}

/** Create Project's provider step: "Use default (X)" and every configured provider; `providerId` null = the default. */
/** The last pick of Create Project's provider step: configure one there and then, and come back to the step. */
export const CONFIGURE_PROVIDER_PICK = {
  label: '$(add) Configure a Provider…',
  description: 'add a key or sign in, then choose it here',
  providerId: null,
  configure: true,
} as const;

export function projectProviderPicks(configured: ProviderSummary[], def: DefaultModel): Array<{ label: string; description?: string; providerId: string | null }> {
  const defName = def.providerId ? configured.find((p) => p.id === def.providerId)?.name ?? def.providerId : undefined;
  const first = {
    label: defName ? `Use default (${defName})` : 'Use default',
    description: defName ? (def.modelId ?? undefined) : 'no default provider set: "Hangar: Set Default Provider"',
    providerId: null,
  };
  return [first, ...[...configured].sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({ label: p.name, description: providerDescription(p), providerId: p.id }))];
}
