// What rendered content may ask the host to do: open a link, copy text. Given through a context so
// the markdown renderer stays a pure function of its text.
import { createContext, type ComponentChildren, type JSX } from 'preact';

export interface ChatActions {
  openLink(url: string): void;
  copy(text: string): void;
}

export const ActionsContext = createContext<ChatActions>({ openLink: () => undefined, copy: () => undefined });

// preact 11's types give Provider a ComponentChildren return type, which JSX refuses as an element.
export const ActionsProvider = ActionsContext.Provider as unknown as (props: { value: ChatActions; children: ComponentChildren }) => JSX.Element;
