// Test-only actions the in-VS-Code suite sends through the host: read noVNC's canvas, type on it.
import type { DesktopTestAction } from '../protocol/desktop';
import type { Screen } from './screen';

export function runTest(screen: Screen, test: DesktopTestAction, setViewOnly: (v: boolean) => void, screenshot: () => void): { colors?: string[] } {
  switch (test.action) {
    case 'sample': {
      const canvas = screen.canvas();
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx || !screen.isConnected) throw new Error('no connected screen');
      const hex = (v: number) => v.toString(16).padStart(2, '0');
      return {
        colors: test.points.map(({ x, y }) => {
          const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
          return `#${hex(r!)}${hex(g!)}${hex(b!)}`;
        }),
      };
    }
    case 'type': {
      const canvas = screen.canvas();
      if (!canvas) throw new Error('no screen');
      canvas.focus();
      const code = /^[a-z]$/i.test(test.key) ? `Key${test.key.toUpperCase()}` : '';
      for (const type of ['keydown', 'keyup'] as const) {
        canvas.dispatchEvent(new KeyboardEvent(type, { key: test.key, code, bubbles: true, cancelable: true }));
      }
      return {};
    }
    case 'viewOnly':
      setViewOnly(test.value);
      return {};
    case 'screenshot':
      screenshot();
      return {};
  }
}
