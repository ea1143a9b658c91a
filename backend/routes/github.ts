import { GithubCredentialBody, GithubCredentialInfo, GithubCredentialQuery } from '../contract';
import { notFound } from '../errors';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'github'>;

/**
 * Your git tokens for sync, one per host (scope "repo"): sealed at rest, never returned, only a
 * masked hint; each is sent only to its own host.
 */
export const githubRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/github/credential',
    summary: 'Whether a token is set for ?host= (default github.com), with a masked hint, and every host that has one', tag: 'sync', access: 'user',
    query: GithubCredentialQuery, response: GithubCredentialInfo, errors: [400],
    handler: async ({ user, query }) => s.github.info(user.id, query.host),
  }),
  route({
    method: 'put', path: '/api/github/credential', summary: 'Set your token for {host} (default github.com; scope "repo"); tokens of other hosts are kept', tag: 'sync', access: 'user',
    body: GithubCredentialBody, response: GithubCredentialInfo, errors: [400],
    handler: async ({ user, body }) => s.github.set(user.id, body.token, body.host || undefined),
  }),
  route({
    method: 'delete', path: '/api/github/credential', summary: 'Remove your token for ?host=, or every token without it', tag: 'sync', access: 'user',
    query: GithubCredentialQuery, status: 204, errors: [400, 404],
    handler: async ({ user, query }) => {
      if (!(await s.github.remove(user.id, query.host))) throw notFound(query.host ? `A token for ${query.host}` : 'A GitHub token');
    },
  }),
];
