// Small building blocks every webview shares. Plain HTML plus the vscode-elements the caller's
// main.tsx imports (vscode-progress-ring for Loading); styles in shared/base.css.
import type { ComponentChildren } from 'preact';

export function Section({ title, children, aside }: { title: string; children: ComponentChildren; aside?: ComponentChildren }) {
  return (
    <section class="hg-section" aria-label={title}>
      <header class="hg-section-header">
        <h2>{title}</h2>
        {aside}
      </header>
      {children}
    </section>
  );
}

/** A list of label/value rows. */
export function Fields({ children }: { children: ComponentChildren }) {
  return <dl class="hg-fields">{children}</dl>;
}

export function Field({ label, children, title }: { label: string; children: ComponentChildren; title?: string }) {
  return (
    <div class="hg-field">
      <dt>{label}</dt>
      <dd title={title}>{children}</dd>
    </div>
  );
}

export function Muted({ children }: { children: ComponentChildren }) {
  return <span class="hg-muted">{children}</span>;
}

export function Notice({ kind, children, onDismiss }: { kind: 'info' | 'warning' | 'error'; children: ComponentChildren; onDismiss?: () => void }) {
  return (
    <div class={`hg-notice hg-notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <span class="hg-notice-text">{children}</span>
      {onDismiss && <button type="button" class="hg-link-button" onClick={onDismiss} aria-label="Dismiss">Dismiss</button>}
    </div>
  );
}

/** Looks like a link, but only tells the host to open something: webviews never navigate. */
export function LinkButton({ children, onClick, disabled, title }: { children: ComponentChildren; onClick: () => void; disabled?: boolean; title?: string }) {
  return <button type="button" class="hg-link-button" onClick={onClick} disabled={disabled} title={title}>{children}</button>;
}

export function Loading({ label }: { label: string }) {
  return (
    <div class="hg-centered" role="status" aria-live="polite">
      <vscode-progress-ring aria-label={label} />
      <p class="hg-muted">{label}</p>
    </div>
  );
}

/** A full-page message (deleted, disconnected) with optional actions. */
export function EmptyState({ title, children, actions }: { title: string; children?: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <div class="hg-centered">
      <h1 class="hg-empty-title">{title}</h1>
      {children && <p class="hg-muted hg-empty-text">{children}</p>}
      {actions && <div class="hg-actions">{actions}</div>}
    </div>
  );
}
