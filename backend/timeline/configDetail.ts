import type { EffectivePermissions } from '../contract';

/** A permissions change on the timeline: each tool's effective action and where it comes from. */
export function describePermissions(eff: EffectivePermissions): string {
  const tools = Object.entries(eff.tools).map(([tool, p]) => `${tool} ${p.action} (${p.source})`).join(', ');
  const rules = eff.bashRules.rules.map((r) => `${r.pattern} ${r.action}`).join(', ');
  return `permissions: ${tools}${rules ? `; bash rules (${eff.bashRules.source}): ${rules}` : ''}`;
}

/** A provider/model change on the timeline. */
export function describeModel(m: { providerId: string | null; modelId: string | null; source: string }): string {
  if (!m.providerId) return 'model: none';
  return `model: ${m.providerId}/${m.modelId ?? '(provider default)'} (${m.source})`;
}
