/** A custom model as typed: "id", "id=context" or "id=context/output". */
export interface ModelSpec { id: string; context: number; output: number }

const MODEL_ID = /^[A-Za-z0-9._:/@+-]+$/;

/**
 * Parses "llama3:8b=8192/2048, qwen2.5-coder=32768" (comma or newline separated; context and output
 * in tokens, `k` allowed: 128k). Output defaults to min(context, 4096); context to 8192.
 */
export function parseModelsSpec(text: string): { models: ModelSpec[] } | { error: string } {
  const items = text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  if (!items.length) return { error: 'List at least one model, like llama3:8b=8192' };
  const models: ModelSpec[] = [];
  for (const item of items) {
    const [id, limits] = item.split('=') as [string, string | undefined];
    if (!MODEL_ID.test(id)) return { error: `"${id}" is not a model id (letters, digits and . _ : / @ + -)` };
    const [ctxText, outText] = (limits ?? '').split('/');
    const context = ctxText ? tokens(ctxText) : 8192;
    if (context === undefined) {
      return { error: `"${ctxText}" is not a context size for ${id}; use a number like 8192 or 128k` };
    }
    const output = outText ? tokens(outText) : Math.min(context, 4096);
    if (output === undefined) return { error: `"${outText}" is not an output size for ${id}` };
    models.push({ id, context, output });
  }
  return { models };
}

function tokens(s: string): number | undefined {
  const m = /^(\d+)(k)?$/i.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] ? 1024 : 1);
  return n > 0 && n <= 100_000_000 ? n : undefined;
}

/** "LM Studio (work)" → "lm-studio-work": a provider id from a display name. */
export function providerIdFrom(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'custom';
}
