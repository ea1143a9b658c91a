import { z } from 'zod';
import {
  CredentialMeta, DeviceFlowStart, DeviceFlowStatus, OAuthFlowId, ProviderId, RedirectAuthorize, RedirectAuthorizeBody, RedirectCallbackBody,
} from '../contract';
import { route } from '../http/route';
import { DEVICE_FLOW_PROVIDERS } from '../oauth/signInMethods';
import { notFound } from '../errors';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'oauth'>;

const DeviceProvider = z.enum([...DEVICE_FLOW_PROVIDERS] as [string, ...string[]]);
const FlowParams = z.object({ provider: DeviceProvider, flowId: OAuthFlowId });
const ProviderParams = z.object({ provider: ProviderId });

/** Provider sign-in: GitHub's device flow (Copilot) and authorisation-code + PKCE redirects. Every flow belongs to its user. */
export const oauthRoutes = (s: Deps) => [
  route({
    method: 'post', path: '/api/oauth/:provider/start', summary: "Start GitHub's device flow (github-copilot): the code to type and where",
    tag: 'oauth', access: 'user', params: z.object({ provider: z.string() }), response: DeviceFlowStart, status: 201, errors: [404, 409],
    handler: async ({ user, params }) => {
      if (!DEVICE_FLOW_PROVIDERS.has(params.provider)) throw notFound(`A device sign-in for "${params.provider}"`);
      return s.oauth.device.start(user.id, params.provider);
    },
  }),
  route({
    method: 'get', path: '/api/oauth/:provider/:flowId', summary: 'A device flow: pending, slow_down, complete, expired, denied, cancelled or error',
    tag: 'oauth', access: 'user', params: FlowParams, response: DeviceFlowStatus, errors: [404],
    handler: async ({ user, params }) => s.oauth.device.status(user.id, params.provider, params.flowId),
  }),
  route({
    method: 'post', path: '/api/oauth/:provider/:flowId/cancel', summary: 'Cancel a pending device flow',
    tag: 'oauth', access: 'user', params: FlowParams, response: DeviceFlowStatus, errors: [404],
    handler: async ({ user, params }) => s.oauth.device.cancel(user.id, params.provider, params.flowId),
  }),
  route({
    method: 'post', path: '/api/oauth/:provider/authorize', summary: 'Start a browser sign-in (authorisation code + PKCE): the URL to open and its state',
    tag: 'oauth', access: 'user', params: ProviderParams, body: RedirectAuthorizeBody, response: RedirectAuthorize, status: 201, errors: [404],
    handler: async ({ user, params, body }) => s.oauth.redirect.authorize(user.id, params.provider, body.redirectUri),
  }),
  route({
    method: 'post', path: '/api/oauth/:provider/callback', summary: 'Finish a browser sign-in with the state and code the provider redirected with',
    tag: 'oauth', access: 'user', params: ProviderParams, body: RedirectCallbackBody, response: CredentialMeta, status: 201, errors: [400, 404, 409, 502],
    handler: async ({ user, params, body }) => s.oauth.redirect.callback(user.id, params.provider, body.state, body.code),
  }),
];
