import { z } from 'zod';
import {
  ConnectionTestResult, CredentialCreate, CredentialList, CredentialMeta, CustomProvider, CustomProviderCreate, DefaultModel, EffectiveModel, ModelChoice,
  ModelList, ProjectModelUpdate, ProviderId, ProviderList, ProvidersQuery,
} from '../contract';
import { conflict } from '../errors';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'connectionTester' | 'credentials' | 'providers' | 'urlGuard'>;

const ProviderParams = z.object({ id: ProviderId });
const ProjectParams = z.object({ id: z.string().uuid('a project id') });

export const providerRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/providers', summary: 'The provider catalog (models.dev) and your custom providers; ?q= searches, ?configured=true filters',
    tag: 'providers', access: 'user', query: ProvidersQuery, response: ProviderList,
    handler: async ({ user, query }) => s.providers.list(user.id, {
      q: query.q, configured: query.configured === undefined ? undefined : query.configured === 'true',
    }),
  }),
  route({
    method: 'get', path: '/api/providers/:id/models', summary: "A provider's models: limits, capabilities, cost per 1M tokens",
    tag: 'providers', access: 'user', params: ProviderParams, response: ModelList, errors: [404],
    handler: async ({ user, params }) => ({ items: await s.providers.models(user.id, params.id) }),
  }),
  route({
    method: 'post', path: '/api/custom-providers', summary: 'Add or replace a custom OpenAI-compatible provider',
    tag: 'providers', access: 'user', body: CustomProviderCreate, response: CustomProvider, status: 201, errors: [409],
    handler: async ({ user, body }) => {
      const { catalog } = await s.providers.catalog.get();
      if (catalog.providers.has(body.id)) throw conflict('provider_exists', `"${body.id}" is a catalog provider; choose another id for a custom one.`);
      // A name the API cannot resolve may still resolve where the agent runs; an address is checked here.
      await s.urlGuard.check(body.baseURL, 'allow');
      return s.credentials.saveCustom(user.id, body);
    },
  }),
  route({
    method: 'delete', path: '/api/custom-providers/:id', summary: 'Remove a custom provider and its key',
    tag: 'providers', access: 'user', params: ProviderParams, status: 204, errors: [404],
    handler: async ({ user, params }) => s.credentials.removeCustom(user.id, params.id),
  }),
  route({
    method: 'post', path: '/api/providers/:id/credentials', summary: 'Store an API key for a provider (encrypted; never returned)',
    tag: 'providers', access: 'user', params: ProviderParams, body: CredentialCreate, response: CredentialMeta, status: 201, errors: [404],
    handler: async ({ user, params, body }) => {
      await s.providers.resolve(user.id, params.id);
      return s.credentials.setApiKey(user.id, params.id, body.key);
    },
  }),
  route({
    method: 'post', path: '/api/providers/:id/test', summary: 'Test Provider Connection: one cheap real call (the models list) with your credential',
    tag: 'providers', access: 'user', params: ProviderParams, response: ConnectionTestResult, errors: [404, 409, 422],
    handler: async ({ user, params }) => s.connectionTester.test(user.id, params.id),
  }),
  route({
    method: 'delete', path: '/api/providers/:id/credentials', summary: "Delete your credential for a provider",
    tag: 'providers', access: 'user', params: ProviderParams, status: 204, errors: [404],
    handler: async ({ user, params }) => s.credentials.remove(user.id, params.id),
  }),
  route({
    method: 'get', path: '/api/credentials', summary: 'Your provider credentials: metadata and a masked hint, never the secret',
    tag: 'providers', access: 'user', response: CredentialList,
    handler: async ({ user }) => ({ items: await s.credentials.list(user.id) }),
  }),
  route({
    method: 'get', path: '/api/me/default-model', summary: 'Your default provider and model',
    tag: 'providers', access: 'user', response: DefaultModel,
    handler: async ({ user }) => s.providers.getDefault(user.id),
  }),
  route({
    method: 'put', path: '/api/me/default-model', summary: 'Set your default provider and model',
    tag: 'providers', access: 'user', body: ModelChoice, response: DefaultModel, errors: [404],
    handler: async ({ user, body }) => s.providers.setDefault(user.id, body),
  }),
  route({
    method: 'get', path: '/api/projects/:id/model', summary: 'The provider and model a project runs with, and why',
    tag: 'providers', access: 'user', params: ProjectParams, response: EffectiveModel, errors: [404],
    handler: async ({ user, params }) => s.providers.effective(user.id, params.id),
  }),
  route({
    method: 'put', path: '/api/projects/:id/model', summary: "Override a project's provider and model (both null: your default); a running agent takes it at once",
    tag: 'providers', access: 'user', params: ProjectParams, body: ProjectModelUpdate, response: EffectiveModel, errors: [404],
    handler: async ({ user, params, body }) => s.providers.setProjectModel(user.id, params.id, body),
  }),
];
