/**
 * What a user pastes after a browser sign-in that could not come back to VS Code: the whole
 * redirect URL (…?code=…&state=…), the "code#state" some providers show, or the bare code (then
 * the state is the one this window started with).
 */
export function parsePastedCode(
  text: string, expectedState: string,
): { code: string; state: string } | { error: string } {
  const t = text.trim();
  if (!t) return { error: 'Paste the code the sign-in page shows.' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    let u: URL;
    try { u = new URL(t); } catch { return { error: 'That is not a valid URL; paste the code or the whole address.' }; }
    const err = u.searchParams.get('error');
    if (err) return { error: `The provider refused the sign-in (${err}).` };
    const code = u.searchParams.get('code');
    if (!code) return { error: 'That address has no code in it.' };
    return { code, state: u.searchParams.get('state') ?? expectedState };
  }
  const [code, state] = t.split('#');
  if (!code || /\s/.test(code)) return { error: 'A code has no spaces; paste it again.' };
  return { code, state: state || expectedState };
}
