import type { NotificationDelivery, NotificationWebhook } from '../../../backend/contract';

const ICON: Record<NotificationDelivery['status'], string> = {
  delivered: '$(pass)', pending: '$(sync)', failed: '$(error)',
};
const KIND: Record<NotificationDelivery['kind'], string> = {
  done: 'finished', failed: 'failed', 'needs-approval': 'needs approval',
};

export interface DeliveryPick { label: string; description: string; detail: string }

/** One row of "Hangar: Show Notification Deliveries". Plain module. */
export function deliveryPick(d: NotificationDelivery, now: number): DeliveryPick {
  const code = d.statusCode === null ? 'not reached' : `HTTP ${d.statusCode}`;
  const retry = d.nextRetryAt ? ` · next try ${relative(Date.parse(d.nextRetryAt) - now)}` : '';
  return {
    label: `${ICON[d.status]} ${d.projectName}: session ${KIND[d.kind]}`,
    description: `${d.status} · ${code} · ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${retry}`,
    detail: `${new Date(d.createdAt).toLocaleString()}${d.error ? ` — ${d.error}` : ''}`,
  };
}

function relative(ms: number): string {
  if (ms <= 0) return 'now';
  const s = Math.round(ms / 1000);
  return s < 90 ? `in ${s} s` : s < 5400 ? `in ${Math.round(s / 60)} min` : `in ${Math.round(s / 3600)} h`;
}

/** "https://hooks.example.com/… (finished, failed; signed)" */
export function webhookSummary(w: NotificationWebhook): string {
  let shown = w.url;
  try {
    const u = new URL(w.url);
    shown = `${u.protocol}//${u.host}${u.pathname.length > 1 ? '/…' : ''}`;
  } catch {
    // keep it
  }
  return `${shown} (${w.kinds.map((k) => KIND[k]).join(', ')}; ${w.hasSecret ? 'signed' : 'unsigned'})`;
}
