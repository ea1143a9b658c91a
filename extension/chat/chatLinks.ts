import type { ModelRef } from '../../webviews/protocol/chat';

/** The same provider and model. */
export function sameModel(a: ModelRef, b: ModelRef): boolean {
  return a.providerId === b.providerId && a.modelId === b.modelId;
}

/** http(s) and mailto only; anything else (javascript:, command:, file:) is refused. */
export function safeUrl(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}
