import { z } from 'zod';
import { ErrorBody } from '../contract';
import type { RouteDef } from './route';

type Json = Record<string, unknown>;

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApi(defs: RouteDef[], version: string): Json {
  const paths: Record<string, Json> = {};
  const errorSchema = z.toJSONSchema(ErrorBody);
  for (const d of defs) {
    const oaPath = d.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: Json[] = [];
    for (const [where, schema] of [['path', d.params], ['query', d.query]] as const) {
      if (!schema) continue;
      const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Json>; required?: string[] };
      for (const [name, prop] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
      }
    }
    const status = String(d.status ?? 200);
    const responses: Json = {
      [status]: status === '204'
        ? { description: 'No content' }
        : {
          description: 'Success',
          content: {
            [d.stream ? 'text/event-stream' : 'application/json']: d.response ? { schema: z.toJSONSchema(d.response, { unrepresentable: 'any' }) } : {},
          },
        },
    };
    if (d.conditional) {
      responses['304'] = { description: 'Not modified: the If-None-Match request header named the current ETag' };
      parameters.push({ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'the ETag of a previous answer' });
    }
    for (const code of new Set([400, ...(d.access === 'public' ? [] : [401]), ...(d.errors ?? []), 500])) {
      responses[String(code)] = { description: 'Error', content: { 'application/json': { schema: errorSchema } } };
    }
    const op: Json = {
      summary: d.summary,
      tags: [d.tag],
      operationId: `${d.method}${oaPath.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters,
      responses,
      security: d.access === 'public' ? [] : [{ bearer: [] }],
      /** Who may call it: public, any user, or admins only (the authorisation matrix reads this). */
      'x-hangar-access': d.access,
    };
    if (d.body) op.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(d.body, { io: 'input', unrepresentable: 'any' }) } } };
    paths[oaPath] = { ...(paths[oaPath] ?? {}), [d.method]: op };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hangar management API', version, license: { name: 'MIT', identifier: 'MIT' } },
    // Relative to this document's own address: clients reach the paths on the server that served it.
    servers: [{ url: '/', description: 'The Hangar server that serves this document' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
