import { z } from 'zod';

/** RFC 6749 §5.1 success body; extra fields are ignored. */
const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** RFC 6749 §5.2 error body. */
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

export class TokenEndpointError extends Error {
  override name = 'TokenEndpointError';
  constructor(message: string, readonly oauthError: string | undefined, readonly httpStatus: number | undefined) {
    super(message);
  }
}

/**
 * POST an x-www-form-urlencoded grant to a token endpoint. Errors name the endpoint's error code
 * and description only: never the request (it carries the code, verifier or refresh token).
 */
export async function postTokenGrant(tokenUrl: string, params: Record<string, string>, timeoutMs = 10_000): Promise<TokenResponse> {
  let res: Response;
  try {
    res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'User-Agent': 'hangar' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err instanceof Error ? err.message : String(err));
    throw new TokenEndpointError(`the token endpoint ${new URL(tokenUrl).host} is unreachable (${cause})`, undefined, undefined);
  }
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  if (res.ok) {
    const ok = TokenResponse.safeParse(json);
    if (ok.success) return ok.data;
    const err = TokenError.safeParse(json);
    if (err.success) throw new TokenEndpointError(describe(err.data), err.data.error, res.status);
    throw new TokenEndpointError(`the token endpoint answered ${res.status} without an access token`, undefined, res.status);
  }
  const err = TokenError.safeParse(json);
  throw new TokenEndpointError(err.success ? describe(err.data) : `the token endpoint answered HTTP ${res.status}`, err.success ? err.data.error : undefined, res.status);
}

function describe(e: z.infer<typeof TokenError>): string {
  const text = e.error_description ? `${e.error}: ${e.error_description.slice(0, 200)}` : e.error;
  return `the provider refused the sign-in (${text})`;
}
