// Test-only messages of the Desktop webview: the in-VS-Code suite reads noVNC's canvas and types on it
// through the test build of the page (hooks/webview/desktopMain.tsx). Not part of the product's protocol:
// the production page neither sends nor accepts them.
import * as z from 'zod/mini';
import { DesktopHostToWebview, DesktopWebviewToHost } from '../../../webviews/protocol/desktop';

export const DesktopTestAction = z.discriminatedUnion('action', [
  /** Colours (#rrggbb) of framebuffer points, read from noVNC's canvas. */
  z.strictObject({
    action: z.literal('sample'),
    points: z.array(z.strictObject({ x: z.number(), y: z.number() })).check(z.maxLength(64)),
  }),
  /** A key typed on the screen (keydown + keyup dispatched to noVNC's canvas). */
  z.strictObject({ action: z.literal('type'), key: z.string().check(z.minLength(1), z.maxLength(1)) }),
  /** Presses "View only" (true) or "Control" (false) in the toolbar. */
  z.strictObject({ action: z.literal('viewOnly'), value: z.boolean() }),
  /** Presses the Screenshot button (the hooks answer the save dialog with the file the test named). */
  z.strictObject({ action: z.literal('screenshot') }),
]);
export type DesktopTestAction = z.infer<typeof DesktopTestAction>;

export const DesktopTest = z.strictObject({
  type: z.literal('desktop.test'), seq: z.number(), test: DesktopTestAction,
});
export type DesktopTest = z.infer<typeof DesktopTest>;

export const DesktopTestResult = z.strictObject({
  type: z.literal('desktop.testResult'), seq: z.number(), ok: z.boolean(),
  colors: z.optional(z.array(z.string())), error: z.optional(z.string()),
});
export type DesktopTestResult = z.infer<typeof DesktopTestResult>;

/** What the test page accepts and sends: the product's messages and the test's. */
export const TestDesktopHostToWebview = z.union([DesktopHostToWebview, DesktopTest]);
export type TestDesktopHostToWebview = z.infer<typeof TestDesktopHostToWebview>;
export const TestDesktopWebviewToHost = z.union([DesktopWebviewToHost, DesktopTestResult]);
export type TestDesktopWebviewToHost = z.infer<typeof TestDesktopWebviewToHost>;
