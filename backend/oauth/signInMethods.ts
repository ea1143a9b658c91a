import type { RedirectProviderConfig } from '../config';
import type { AuthMethod } from '../contract';

/** Providers whose GitHub device flow Hangar runs (protocols.md: opencode's Copilot sign-in). */
export const DEVICE_FLOW_PROVIDERS: ReadonlySet<string> = new Set(['github-copilot']);

/**
 * What a user must know before signing in to a provider. Anthropic: since 2026-01-09 its Claude
 * Pro/Max subscription tokens are rejected outside Anthropic's own apps (opencode removed its
 * Anthropic login at Anthropic's request, PR #18186), so only an API key works.
 */
export const SIGN_IN_NOTES: Readonly<Record<string, string>> = {
  anthropic: 'Anthropic works with an API key (console.anthropic.com → API Keys). Signing in with a Claude Pro/Max subscription is not available to third-party tools such as Hangar: Anthropic accepts those sign-ins only in its own apps.',
  'github-copilot': 'Signs in with your GitHub account (device flow): you type a short code on GitHub; a Copilot subscription is needed.',
};

/** The ways a provider can be configured: an API key always; the device flow or a redirect where known. */
export function signInMethods(providerId: string, redirectProviders: Readonly<Record<string, RedirectProviderConfig>>): AuthMethod[] {
  const methods: AuthMethod[] = ['api'];
  if (DEVICE_FLOW_PROVIDERS.has(providerId)) methods.push('oauth-device');
  if (Object.hasOwn(redirectProviders, providerId)) methods.push('oauth-redirect');
  return methods;
}

export function signInNote(providerId: string): string | null {
  return Object.hasOwn(SIGN_IN_NOTES, providerId) ? SIGN_IN_NOTES[providerId]! : null;
}
