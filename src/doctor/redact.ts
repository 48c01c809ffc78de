/**
 * What doctor prints comes partly from client libraries' error messages:
 * anything shaped like a credential is cut out before it is shown, and so
 * is each configured secret (the webhook URL) verbatim.
 */
const CREDENTIALS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bBearer\s+[^\s"',]+/gi,
  /\bya29\.[\w.-]+/g, // Google OAuth access tokens
];
/** `name: value` / `name=value` pairs whose value is a secret: the name stays, the value goes. */
const SECRET_FIELDS =
  /\b(access_token|refresh_token|id_token|private_key|client_secret|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',&]+/gi;

export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const known = secrets.filter((s): s is string => !!s && s.length >= 8);
  return (text) => {
    let out = text;
    for (const s of known) out = out.split(s).join('[redacted]');
    for (const re of CREDENTIALS) out = out.replace(re, '[redacted]');
    return out.replace(SECRET_FIELDS, (_m, name: string, sep: string) => `${name}${sep}[redacted]`);
  };
}
