// Records what a panel's host posted to its ready webview (the suite pins exact payloads). Wraps the
// channel's post() of each panel as it opens: test code reaching into the product, never shipped.
import type { PanelChannel } from '../../../extension/core/webview/panelChannel';

/** The most recent messages kept per panel. */
export const POSTED_LIMIT = 5000;

type Message = { type: string };

export class PostedMessages<Out extends Message> {
  private readonly byChannel = new WeakMap<object, Out[]>();

  /** Starts recording a channel's posts (once per channel). */
  tap<In extends Message>(channel: PanelChannel<In, Out>): void {
    if (this.byChannel.has(channel)) return;
    const posted: Out[] = [];
    this.byChannel.set(channel, posted);
    const post = channel.post.bind(channel);
    channel.post = (message: Out): boolean => {
      const sent = post(message);
      if (sent) {
        posted.push(message);
        if (posted.length > POSTED_LIMIT) posted.splice(0, posted.length - POSTED_LIMIT);
      }
      return sent;
    };
  }

  of(channel: object): Out[] {
    return [...(this.byChannel.get(channel) ?? [])];
  }
}
