/** Strips secrets from text bound for logs. Known secrets are replaced wherever they appear. */

const MASK = '***';

const PATTERNS: Array<[RegExp, string]> = [
  [/(Bearer\s+)[^\s"',;]+/gi, `$1${MASK}`],
  [/((?:authorization|x-api-key|cookie)\s*[:=]\s*"?(?:(?:Bearer|Basic|token)\s+)?)(?!\*\*\*|(?:Bearer|Basic|token)\s)[^\s"',;]+/gi, `$1${MASK}`],
  [/("(?:token|secret|password|apiKey|api_key|accessToken|access_token)"\s*:\s*")[^"]*/gi, `$1${MASK}`],
  [/([?&](?:token|access_token|secret|key)=)[^&\s#"']+/gi, `$1${MASK}`],
];

export function redact(text: string, knownSecrets: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    // Short strings would mask ordinary words; real tokens are long.
    if (secret && secret.length >= 8) out = out.split(secret).join(MASK);
  }
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Collects the secrets currently in use so every log line can be scrubbed of them. */
export class SecretRegistry {
  private readonly secrets = new Set<string>();
  add(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }
  remove(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }
  redact(text: string): string {
    return redact(text, this.secrets);
  }
}
