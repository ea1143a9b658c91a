import { ActivityPage, ActivityQuery } from '../contract';
import { route } from '../http/route';
import type { Services } from '../services/container';

export const activityRoutes = (s: Services) => [
  route({
    method: 'get', path: '/api/activity', summary: 'Agent sessions across your projects, most recently changed first', tag: 'activity', access: 'user',
    query: ActivityQuery, response: ActivityPage, errors: [400],
    handler: async ({ user, query }) => s.activity.list(user.id, query),
  }),
];
