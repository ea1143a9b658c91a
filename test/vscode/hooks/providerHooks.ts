// hangar.internal.providers (the Providers view as shown, the log folder, the needs-sign-in warnings) and
// hangar.internal.providerSignIn (the sign-in in progress; with `action`, a button press or a paste).
import type { DeviceSignInState } from '../../../extension/providers/deviceSignIn';
import type { ProvidersFeature } from '../../../extension/providers/providersFeature';
import type { LoadStatus } from '../../../extension/providers/providersModel';
import type { RedirectSignInState } from '../../../extension/providers/redirectSignIn';
import { tapMethod } from './tap';
import { WindowTaps, type TappedInputBox } from './windowTaps';

export interface ProvidersProbe {
  status: LoadStatus['kind'];
  rows: Array<{
    id: string; label: string; description: string | undefined; tooltip: string | undefined; icon: string;
    contextValue: string;
  }>;
  /** Where this extension's logs are written (the suite greps them for secrets). */
  logDir: string;
  /** Warnings shown about credentials that need a new sign-in, in order. */
  signInNotices: string[];
}

export interface ProviderSignInArgs { action?: 'copyAndOpen' | 'cancel' | 'paste'; text?: string }

export interface ProviderSignInProbe {
  device: DeviceSignInState | undefined;
  redirect: (RedirectSignInState & { pasteBoxVisible: boolean }) | undefined;
  /** Sign-in links that arrived for no sign-in in progress (each one warned about). */
  rejectedRedirects: number;
  done?: boolean;
}

const NEEDS_SIGN_IN = /^Hangar: .+ needs a new sign-in\./;
const FOREIGN_REDIRECT = /^Hangar: this sign-in link does not belong to a sign-in in progress/;

export function providerHooks(logDir: string): {
  loaded: (providers: ProvidersFeature) => void;
  providers: (providers: ProvidersFeature) => ProvidersProbe;
  signIn: (providers: ProvidersFeature, args?: ProviderSignInArgs) => Promise<ProviderSignInProbe>;
  disposable: WindowTaps;
} {
  /** Browser sign-ins running: an input box created meanwhile is the paste box. */
  let redirectsRunning = 0;
  let pasteBox: TappedInputBox | undefined;
  const taps = new WindowTaps((box) => { if (redirectsRunning > 0) pasteBox = box; });

  const loaded = (providers: ProvidersFeature): void => {
    tapMethod(providers.redirect, 'run', (_args, running) => {
      redirectsRunning++;
      void running.finally(() => redirectsRunning--);
    });
  };

  const probe = (providers: ProvidersFeature): ProvidersProbe => ({
    status: providers.tree.status.kind,
    rows: providers.tree.getChildren().map(({ model: m }) => ({
      id: m.id, label: m.label, description: m.description, tooltip: m.tooltip, icon: m.icon.id,
      contextValue: m.contextValue,
    })),
    logDir,
    signInNotices: taps.warnings.filter((w) => NEEDS_SIGN_IN.test(w)),
  });

  /** What typing into the paste box and pressing Enter does; false when no box is open. */
  const paste = (text: string): boolean => {
    if (!pasteBox?.visible) return false;
    pasteBox.accept(text);
    return true;
  };

  const signIn = async (providers: ProvidersFeature, args?: ProviderSignInArgs): Promise<ProviderSignInProbe> => {
    const { device, redirect } = providers;
    let done: boolean | undefined;
    if (args?.action === 'copyAndOpen') done = await device.copyAndOpen();
    if (args?.action === 'cancel') { device.cancel(); redirect.cancel(); done = true; }
    if (args?.action === 'paste') done = paste(args.text ?? '');
    const current = redirect.current;
    return {
      device: device.current,
      redirect: current ? { ...current, pasteBoxVisible: pasteBox?.visible ?? false } : undefined,
      rejectedRedirects: taps.warnings.filter((w) => FOREIGN_REDIRECT.test(w)).length,
      ...(done === undefined ? {} : { done }),
    };
  };
  return { loaded, providers: probe, signIn, disposable: taps };
}
