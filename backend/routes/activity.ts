import {
  ActivityPage, ActivityQuery, NotificationDeliveryList, NotificationWebhook, NotificationWebhookPut, NotificationWebhookState,
} from '../contract';
import { notFound } from '../errors';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'activity' | 'notifications'>;

export const activityRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/activity', summary: 'Agent sessions across your projects, most recently changed first', tag: 'activity', access: 'user',
    query: ActivityQuery, response: ActivityPage, errors: [400],
    handler: async ({ user, query }) => s.activity.list(user.id, query),
  }),
  route({
    method: 'get', path: '/api/notifications/webhook', summary: 'Your outgoing notification webhook (never its secret)', tag: 'activity', access: 'user',
    response: NotificationWebhookState,
    handler: async ({ user }) => ({ webhook: await s.notifications.get(user.id) }),
  }),
  route({
    method: 'put', path: '/api/notifications/webhook', summary: 'Send your notifications (done, failed, needs-approval) to a URL, optionally HMAC-signed',
    tag: 'activity', access: 'user', body: NotificationWebhookPut, response: NotificationWebhook, errors: [400],
    handler: async ({ user, body }) => s.notifications.put(user.id, body),
  }),
  route({
    method: 'delete', path: '/api/notifications/webhook', summary: 'Stop sending notifications to your webhook (pending deliveries are given up)',
    tag: 'activity', access: 'user', status: 204, errors: [404],
    handler: async ({ user }) => {
      if (!(await s.notifications.remove(user.id))) throw notFound('A notification webhook');
    },
  }),
  route({
    method: 'get', path: '/api/notifications/deliveries', summary: 'The delivery log of your notification webhook, newest first',
    tag: 'activity', access: 'user', response: NotificationDeliveryList,
    handler: async ({ user }) => ({ items: await s.notifications.deliveries(user.id) }),
  }),
];
