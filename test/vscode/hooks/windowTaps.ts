// Test code, never shipped: records what the product shows through vscode.window that the suite cannot
// see in the workbench (warning toasts), and keeps hold of input boxes so a test can type into them.
import * as vscode from 'vscode';

type Listener = () => unknown;

/** An input box the product created, as the suite sees it. */
export interface TappedInputBox {
  readonly box: vscode.InputBox;
  readonly visible: boolean;
  /** What typing `text` and pressing Enter does. */
  accept(text: string): void;
}

/** A modal warning the product asked, with its detail (the preview of what an action does). */
export interface TappedModal { message: string; detail: string; buttons: string[]; answer: string | undefined }

export class WindowTaps implements vscode.Disposable {
  /** Every warning toast's text, oldest first (at most KEEP). */
  readonly warnings: string[] = [];
  /** Modal warnings, oldest first (at most KEEP). */
  readonly modals: TappedModal[] = [];
  /**
   * Answers for the next modal warnings, in order: the suite cannot click a dialog's button, so a queued
   * answer (a button's title, or null for Cancel) is returned instead of showing the dialog.
   */
  readonly modalAnswers: (string | null)[] = [];
  /** Answers for the next input boxes (showInputBox), in order: what the user types and Enter (null: Escape). */
  readonly inputAnswers: (string | null)[] = [];
  private readonly restore: Array<() => void> = [];

  /** `onInputBox` sees every input box the product creates, before the product shows it. */
  constructor(onInputBox: (box: TappedInputBox) => void) {
    const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
    const showWarningMessage = window.showWarningMessage;
    window.showWarningMessage = ((message: string, ...rest: never[]) => {
      this.warnings.push(message);
      if (this.warnings.length > KEEP) this.warnings.shift();
      const options = rest[0] as unknown;
      if (options && typeof options === 'object' && (options as vscode.MessageOptions).modal && this.modalAnswers.length) {
        const answer = this.modalAnswers.shift() ?? undefined;
        const buttons = (rest.slice(1) as unknown[]).map((b) => (typeof b === 'string' ? b : (b as vscode.MessageItem).title));
        this.modals.push({ message, detail: (options as vscode.MessageOptions).detail ?? '', buttons, answer });
        if (this.modals.length > KEEP) this.modals.shift();
        return Promise.resolve(answer);
      }
      return (showWarningMessage as (m: string, ...r: never[]) => unknown)(message, ...rest);
    }) as typeof window.showWarningMessage;
    const showInputBox = window.showInputBox;
    window.showInputBox = ((options?: vscode.InputBoxOptions, token?: vscode.CancellationToken) => {
      if (!this.inputAnswers.length) return showInputBox(options, token);
      const answer = this.inputAnswers.shift() ?? undefined;
      const problem = answer === undefined ? undefined : options?.validateInput?.(answer);
      if (problem) return Promise.reject(new Error(`the input box refused "${answer}": ${String(problem)}`));
      return Promise.resolve(answer);
    }) as typeof window.showInputBox;
    const createInputBox = window.createInputBox;
    window.createInputBox = () => {
      const box = createInputBox();
      onInputBox(tapInputBox(box));
      return box;
    };
    this.restore.push(() => {
      window.showWarningMessage = showWarningMessage;
      window.showInputBox = showInputBox;
      window.createInputBox = createInputBox;
    });
  }

  dispose(): void {
    for (const r of this.restore.splice(0)) r();
  }
}

const KEEP = 200;

/** Follows show/hide/dispose, and keeps the Enter listeners (VS Code's API cannot press Enter). */
function tapInputBox(box: vscode.InputBox): TappedInputBox {
  let visible = false;
  const accepted: Listener[] = [];
  const own = <K extends keyof vscode.InputBox>(key: K, value: vscode.InputBox[K]): void => {
    Object.defineProperty(box, key, { value, configurable: true, writable: true });
  };
  const { show, hide, dispose, onDidAccept } = { show: box.show, hide: box.hide, dispose: box.dispose, onDidAccept: box.onDidAccept };
  own('show', () => { visible = true; show.call(box); });
  own('hide', () => { visible = false; hide.call(box); });
  own('dispose', () => { visible = false; dispose.call(box); });
  own('onDidAccept', (listener, thisArg, disposables) => {
    accepted.push(() => listener.call(thisArg));
    return onDidAccept(listener, thisArg, disposables);
  });
  box.onDidHide(() => { visible = false; });
  return {
    box,
    get visible() { return visible; },
    accept(text) {
      box.value = text;
      for (const l of accepted) l();
    },
  };
}
