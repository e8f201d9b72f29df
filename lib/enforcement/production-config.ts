/**
 * The production config guard: DEBUG switched on in a
 * file that configures production. One implementation for the detector and for
 * `autopack check production-config`.
 */

export interface DebugViolation {
  /** Repository-relative POSIX path. */
  file: string;
  /** 1-based. */
  line: number;
  /** Which rule matched, e.g. `DEBUG=true` or `YAML debug: true`. */
  pattern: string;
  /** The line, trimmed, at most 100 characters. */
  content: string;
}

/** Folders never searched: VCS data, dependencies, virtualenvs, run dirs, archives, build output. */
export const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', 'vendor', '.autonomous_runs', 'archive', 'dist', 'build', '__pycache__', '.tox']);

const CONFIG_EXTENSIONS = new Set(['yaml', 'yml', 'json', 'env']);
const PROD_WORDS = new Set(['production', 'prod']);

/**
 * Whether a repository-relative path configures production, judged on its segments, never on
 * a substring of the whole path (`products.json`, `reproduce.yaml` and `prod_data.yml` are
 * not production configs):
 * - `.env.production` / `.env.prod` (optionally `.local`), anywhere;
 * - a file whose name, split on dots, has a `production` or `prod` part, with a YAML, JSON
 *   or env extension: `production.yaml`, `config/prod.yml`, `app.production.json`;
 * - a YAML/JSON/env file below a folder named `production` or `prod`: `deploy/production/values.yaml`.
 */
export function isProductionConfig(path: string): boolean {
  // Every file of the repository comes through here: most are rejected on their name alone.
  const lower = path.toLowerCase();
  if (!lower.includes('prod') || (!CONFIG_EXTENSIONS.has(lower.slice(lower.lastIndexOf('.') + 1)) && !lower.includes('.env.'))) return false;
  const segments = lower.replace(/\\/g, '/').split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0 || segments.slice(0, -1).some((segment) => SKIPPED_DIRS.has(segment))) return false;
  const name = segments.at(-1)!;
  if (/^\.env\.(production|prod)(\.local)?$/.test(name)) return true;
  const parts = name.split('.');
  const extension = parts.length > 1 ? parts.at(-1)! : '';
  if (!CONFIG_EXTENSIONS.has(extension)) return false;
  if (parts.slice(0, -1).some((part) => PROD_WORDS.has(part))) return true;
  return segments.slice(0, -1).some((segment) => PROD_WORDS.has(segment));
}

const VALUE_ON = String.raw`(["']?)(1|true|yes|on)\1`;

/** Lines that switch DEBUG on, first match wins. Names are exact: APP_DEBUG and DEBUG_SQL are other settings. */
const ENABLED: Array<{ pattern: RegExp; describe: (match: RegExpExecArray) => string }> = [
  { pattern: new RegExp(String.raw`^(?:export\s+)?DEBUG\s*=\s*${VALUE_ON}$`, 'i'), describe: (m) => `DEBUG=${m[2]!.toLowerCase()}` },
  { pattern: new RegExp(String.raw`^-?\s*DEBUG\s*:\s*${VALUE_ON}$`, 'i'), describe: (m) => `YAML debug: ${m[2]!.toLowerCase()}` },
  { pattern: /"DEBUG"\s*:\s*(true|1|"(?:1|true|yes|on)")/i, describe: (m) => `JSON "debug": ${m[1]!.toLowerCase()}` },
];

/** `KEY=value # note` → `KEY=value`; a `#` inside quotes stays. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

const shorten = (line: string) => (line.length <= 100 ? line : `${line.slice(0, 97)}...`);

/** Every line of a production config that enables DEBUG (comments and disabled values ignored). */
export function checkContentForDebug(content: string, file: string): DebugViolation[] {
  const violations: DebugViolation[] = [];
  const lines = content.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = withoutComment(raw).trim();
    if (line === '') continue;
    const rule = ENABLED.map((candidate) => ({ candidate, match: candidate.pattern.exec(line) })).find((entry) => entry.match);
    if (rule?.match) {
      violations.push({ file, line: index + 1, pattern: rule.candidate.describe(rule.match), content: shorten(raw.trim()) });
      continue;
    }
    // Kubernetes env entries: `- name: DEBUG` followed by `value: "true"`.
    if (/^-?\s*name\s*:\s*["']?DEBUG["']?$/i.test(line)) {
      const next = withoutComment(lines[index + 1] ?? '').trim();
      const value = /^value\s*:\s*["']?([^"']*)["']?$/i.exec(next)?.[1];
      if (value !== undefined && /^(1|true|yes|on)$/i.test(value)) {
        violations.push({ file, line: index + 2, pattern: `env entry DEBUG=${value.toLowerCase()}`, content: shorten((lines[index + 1] ?? '').trim()) });
      }
    }
  }
  return violations;
}

export const REMEDIATION = [
  'REMEDIATION REQUIRED: DEBUG must be off in production configs.',
  '  - set DEBUG=0 / DEBUG=false (or debug: false) in the files listed above, or remove the setting;',
  '  - keep debugging switches in development-only files (.env.development, config/development.yaml);',
  '  - DEBUG in production leaks stack traces, secrets and internal state to users.',
].join('\n');

export interface GuardResult {
  /** Production config files that were checked (repository-relative). */
  files: string[];
  violations: DebugViolation[];
}

/** Checks every production config among `files` (repository-relative), read through `read`. */
export async function checkProductionConfigs(files: readonly string[], read: (path: string) => Promise<string | undefined>): Promise<GuardResult> {
  const candidates = files.filter(isProductionConfig);
  const violations: DebugViolation[] = [];
  for (const file of candidates) {
    const content = await read(file);
    if (content !== undefined) violations.push(...checkContentForDebug(content, file));
  }
  return { files: candidates, violations };
}
