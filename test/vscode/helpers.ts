import assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'hangar-dev.hangar';

export interface Snapshot {
  connection: string;
  url: string | undefined;
  user: string | undefined;
  statusBarText: string;
  hasStoredToken: boolean;
  projectNames: string[];
  tierIds: string[];
  projectRows: ProjectRow[];
  tierRows: Array<{ id: string; description: string | undefined }>;
  autoRefreshScheduled: boolean;
}

export interface ProjectRow { id: string; label: string; description: string | undefined; contextValue: string; icon: string; tooltip: string | undefined }

export function env(name: 'HANGAR_TEST_API_URL' | 'HANGAR_TEST_API_TOKEN' | 'HANGAR_TEST_DATA_DIR'): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run this suite through test/harness/run-vscode-suite.mjs`);
  return value;
}

export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
  return ext;
}

export async function snapshot(): Promise<Snapshot> {
  return (await vscode.commands.executeCommand('hangar.internal.snapshot')) as Snapshot;
}

export async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

/** Calls the real API directly, as another client would. */
export async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(env('HANGAR_TEST_API_URL') + path, {
    method,
    headers: { Authorization: `Bearer ${env('HANGAR_TEST_API_TOKEN')}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** A session in the project's agent, created as another client would (opening the chat creates none). */
export async function createAgentSession(projectId: string): Promise<string> {
  const res = await api('POST', `/api/projects/${projectId}/opencode/session`, {});
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return (res.json as { id: string }).id;
}
