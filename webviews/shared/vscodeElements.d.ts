// JSX types for the @vscode-elements custom elements the webviews render. Each webview imports the
// element modules it uses (`@vscode-elements/elements/dist/<tag>/index.js`) so unused ones stay out
// of its bundle; these declarations only teach TypeScript their attributes.
import type { JSX } from 'preact';

type Base = JSX.HTMLAttributes<HTMLElement>;

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'vscode-button': Base & { secondary?: boolean; disabled?: boolean; icon?: string; block?: boolean };
      'vscode-badge': Base & { variant?: 'default' | 'counter' | 'activity-bar-counter' | 'tab-header-counter' };
      'vscode-progress-ring': Base & { 'aria-label'?: string };
      'vscode-divider': Base;
    }
  }
}
