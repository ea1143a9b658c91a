// Test-only actions the in-VS-Code suite sends through the host to the test build of the Desktop page:
// read noVNC's canvas, type on it, press the toolbar's buttons. It works on the page as a user sees it
// (the DOM), so the product's page carries nothing for it.
import type { DesktopTestAction } from '../desktopTestProtocol';

export interface PageProbe {
  /** Whether the page last reported its screen as connected (its own `desktop.state`). */
  connected(): boolean;
  document: Document;
}

export function runTest(page: PageProbe, test: DesktopTestAction): { colors?: string[] } {
  const canvas = page.document.querySelector<HTMLCanvasElement>('.desk-screen canvas') ?? undefined;
  switch (test.action) {
    case 'sample': {
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx || !page.connected()) throw new Error('no connected screen');
      const hex = (v: number) => v.toString(16).padStart(2, '0');
      return {
        colors: test.points.map(({ x, y }) => {
          const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
          return `#${hex(r!)}${hex(g!)}${hex(b!)}`;
        }),
      };
    }
    case 'type': {
      if (!canvas) throw new Error('no screen');
      canvas.focus();
      const code = /^[a-z]$/i.test(test.key) ? `Key${test.key.toUpperCase()}` : '';
      for (const type of ['keydown', 'keyup'] as const) {
        canvas.dispatchEvent(new KeyboardEvent(type, { key: test.key, code, bubbles: true, cancelable: true }));
      }
      return {};
    }
    case 'viewOnly':
      press(page.document, test.value ? 'View only' : 'Control');
      return {};
    case 'screenshot':
      press(page.document, 'Screenshot');
      return {};
  }
}

/** Clicks the toolbar button with this label, as a user would. */
function press(document: Document, label: string): void {
  const buttons = [...document.querySelectorAll<HTMLElement>('vscode-button')];
  const button = buttons.find((b) => b.textContent?.trim() === label);
  if (!button) throw new Error(`no "${label}" button`);
  button.click();
}
