import { GithubCredentialBody, GithubCredentialInfo } from '../contract';
import { notFound } from '../errors';
import { route } from '../http/route';
import type { Services } from '../services/container';

/** Your GitHub token for sync (scope "repo"): sealed at rest, never returned, only a masked hint. */
export const githubRoutes = (s: Services) => [
  route({
    method: 'get', path: '/api/github/credential', summary: 'Whether a GitHub token is set, for which host, with a masked hint', tag: 'sync', access: 'user',
    response: GithubCredentialInfo,
    handler: async ({ user }) => s.github.info(user.id),
  }),
  route({
    method: 'put', path: '/api/github/credential', summary: 'Set your GitHub token (scope "repo"); {host} for GitHub Enterprise, default github.com', tag: 'sync', access: 'user',
    body: GithubCredentialBody, response: GithubCredentialInfo, errors: [400],
    handler: async ({ user, body }) => s.github.set(user.id, body.token, body.host),
  }),
  route({
    method: 'delete', path: '/api/github/credential', summary: 'Remove your GitHub token', tag: 'sync', access: 'user',
    status: 204, errors: [404],
    handler: async ({ user }) => {
      if (!(await s.github.remove(user.id))) throw notFound('A GitHub token');
    },
  }),
];
