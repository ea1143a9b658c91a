import { randomUUID } from 'node:crypto';

export interface OpenApiOp {
  method: string;
  /** OpenAPI path with `{param}` placeholders. */
  path: string;
  access: 'public' | 'user' | 'admin';
  params: string[];
  bodySchema?: JsonSchema;
  stream: boolean;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  pattern?: string;
}

/** Every operation of /api/openapi.json, as the authorisation matrix and the fuzzer walk them. */
export function operationsOf(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): OpenApiOp[] {
  const ops: OpenApiOp[] = [];
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)?.content;
      const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
      // Required query parameters ride along with an example value, so that a request reaches the
      // owner check instead of stopping at validation (400).
      const query = ((op.parameters ?? []) as { in: string; name: string; required?: boolean; schema?: JsonSchema }[])
        .filter((q) => q.in === 'query' && q.required)
        .map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(String(exampleOf(q.schema)))}`);
      ops.push({
        method: method.toUpperCase(), path: query.length ? `${p}?${query.join('&')}` : p, access: op['x-hangar-access'] as OpenApiOp['access'],
        params: [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        bodySchema: content?.['application/json']?.schema,
        stream: Object.values(responses).some((r) => r.content && 'text/event-stream' in r.content),
      });
    }
  }
  return ops;
}

export function fillPath(p: string, values: Record<string, string>): string {
  return p.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? randomUUID()));
}

/** A small value the schema accepts where that is easy to tell (enough to get past most body checks). */
export function exampleOf(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return {};
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.length) return exampleOf(alt.find((a) => a.type !== 'null') ?? alt[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of schema.required ?? []) out[k] = exampleOf(schema.properties?.[k], depth + 1);
      return out;
    }
    case 'array': return Array.from({ length: schema.minItems ?? 0 }, () => exampleOf(schema.items, depth + 1));
    case 'string':
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'uri') return 'https://example.com/x';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer': case 'number': return Math.max(1, schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1));
    case 'boolean': return false;
    default: return {};
  }
}
