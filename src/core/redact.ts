/**
 * Secret redaction (DESIGN §10). Applied to everything written under `record/` and to logs:
 * values of environment variables whose names look secret, and well-known token shapes.
 */

const SECRET_NAME_RE = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE)/i;
/** Values shorter than this are not treated as secrets (too many false positives: "1", "true"). */
const MIN_SECRET_LEN = 6;

const TOKEN_SHAPES: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[REDACTED:private_key]'],
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/g, '[REDACTED:api_key]'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}/g, '[REDACTED:github_token]'],
  [/\bgithub_pat_[A-Za-z0-9_]{30,}/g, '[REDACTED:github_token]'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, '[REDACTED:slack_token]'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '[REDACTED:aws_key]'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, '[REDACTED:google_key]'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '[REDACTED:jwt]'],
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]{16,}/g, '$1[REDACTED]'],
];

/** The shortest text any of TOKEN_SHAPES can match (`xox?-` and 10 more): shorter texts skip them. */
export const MIN_TOKEN_LEN = 15;

export type Redactor = (text: string) => string;

export function secretValuesFromEnv(env: Record<string, string | undefined>): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_SECRET_LEN) continue;
    if (SECRET_NAME_RE.test(name)) out.push({ name, value });
  }
  // Longest first, so a secret that contains another is replaced whole.
  return out.sort((a, b) => b.value.length - a.value.length);
}

const jsonInner = (v: string): string => JSON.stringify(v).slice(1, -1);
const jsonAscii = (v: string): string => jsonInner(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The forms a secret takes once a tool has printed or serialised it: raw; JSON-escaped (once, as
 * in a record line; twice, as a JSON string inside a JSON string; ASCII-only, as Python writes
 * it); shell-escaped (inside '…' and inside "…"); and each line of a multi-line value (output is
 * redacted line by line). Forms shorter than the minimum are dropped.
 */
export function secretForms(value: string): string[] {
  const forms = [
    value,
    jsonInner(value),
    jsonInner(jsonInner(value)),
    jsonAscii(value),
    value.replace(/'/g, `'\\''`),
    value.replace(/[\\"$`]/g, '\\$&'),
    encodeURIComponent(value),
    ...value.split(/\r?\n/),
  ];
  return [...new Set(forms)].filter((f) => f.length >= MIN_SECRET_LEN);
}

export function makeRedactor(env: Record<string, string | undefined>): Redactor {
  const secrets = secretValuesFromEnv(env)
    .flatMap(({ name, value }) => secretForms(value).map((form) => ({ name, value: form })))
    .sort((a, b) => b.value.length - a.value.length);
  return (text: string) => {
    let s = text;
    for (const { name, value } of secrets) {
      if (s.includes(value)) s = s.split(value).join(`[REDACTED:${name}]`);
    }
    if (s.length < MIN_TOKEN_LEN) return s;
    for (const [re, replacement] of TOKEN_SHAPES) s = s.replace(re, replacement);
    return s;
  };
}

/** Redact every string inside a JSON-like value (keys are left alone). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact) as unknown) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact);
    return out as T;
  }
  return value;
}
