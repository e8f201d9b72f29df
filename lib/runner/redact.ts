/** Values that look like credentials: replaced before any output is stored or shown. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED PRIVATE KEY]'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, '[REDACTED]'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, '[REDACTED]'],
  [/\bgithub_pat_[A-Za-z0-9_]{30,}\b/g, '[REDACTED]'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, '[REDACTED]'],
  [/\bsk-[A-Za-z0-9_-]{20,}\b/g, '[REDACTED]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  [
    /\b([A-Za-z0-9_.-]*(?:token|password|passwd|pwd|secret|api[_-]?key|access[_-]?key|private[_-]?key|auth)[A-Za-z0-9_.-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s"',;&]+)/gi,
    '$1$2[REDACTED]',
  ],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1[REDACTED]@'],
];

export interface RedactOptions {
  /** Absolute paths to replace, e.g. the workspace root → `<workspace>`. */
  paths?: ReadonlyArray<readonly [path: string, placeholder: string]>;
}

export function redact(text: string, options: RedactOptions = {}): string {
  let out = text;
  // Longest first so that a nested path is not half-replaced by its parent.
  const paths = [...(options.paths ?? [])].filter(([p]) => p.length > 1).sort((a, b) => b[0].length - a[0].length);
  for (const [path, placeholder] of paths) out = out.split(path).join(placeholder);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export const EXCERPT_LIMIT = 500;
const TRUNCATION_MARK = ' …[truncated]';

/** A redacted excerpt of at most `limit` characters, marked when it was cut. */
export function excerpt(text: string, options: RedactOptions = {}, limit = EXCERPT_LIMIT): string {
  const clean = redact(text, options).trim();
  if (clean.length <= limit) return clean;
  return clean.slice(0, limit - TRUNCATION_MARK.length) + TRUNCATION_MARK;
}
