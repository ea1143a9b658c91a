import { z } from 'zod';
import { ApiToken, ApiTokenList, Me, TokenCreate, TokenCreated } from '../contract';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';
import { UserService } from '../services/users';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'users'>;

const IdParams = z.object({ id: z.string().uuid('a token id') });

export const tokenRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/me', summary: 'Who the token belongs to', tag: 'auth', access: 'user',
    response: Me,
    handler: async ({ user }) => UserService.me(user),
  }),
  route({
    method: 'get', path: '/api/tokens', summary: 'Your API tokens (never their secrets)', tag: 'auth', access: 'user',
    response: ApiTokenList,
    handler: async ({ user }) => ({ items: (await s.users.listTokens(user.id)).map(({ username: _u, ...t }) => t) }),
  }),
  route({
    method: 'post', path: '/api/tokens', summary: 'Create a token; its secret is shown once', tag: 'auth', access: 'user',
    body: TokenCreate, response: TokenCreated, status: 201,
    handler: async ({ user, body }) => s.users.createToken(user.id, body.name),
  }),
  route({
    method: 'delete', path: '/api/tokens/:id', summary: 'Revoke one of your tokens', tag: 'auth', access: 'user',
    params: IdParams, response: ApiToken, errors: [404],
    handler: async ({ user, params }) => s.users.revokeToken(params.id, user.id),
  }),
];
