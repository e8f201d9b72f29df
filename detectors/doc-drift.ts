import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import type { CheckSpec } from '../lib/contracts/config.ts';
import { checkLinks, pageLinks, type PageLinks } from '../lib/gaps/doc-links.ts';
import { normalizeWorkspacePath } from '../lib/governance/paths.ts';
import { defineDetector, type CheckDiscoveryContext, type Finding } from '../lib/registry/types.ts';
import { checkOutcome, isPytest } from '../lib/runner/check-outcome.ts';
import { redact } from '../lib/runner/redact.ts';
import { findProgram } from '../lib/runner/resolve-program.ts';
import { toCommandEvidence } from '../lib/runner/run-check.ts';

const UTF8 = new TextDecoder();

/** package.json scripts that, when present, are run as documentation checks. */
const DEFAULT_DOC_SCRIPTS = ['docs:check', 'check:docs', 'docs:test', 'test:docs', 'docs:lint', 'lint:docs'];

/** Message per well-known check id, keeping the Python tool's wording. */
const KNOWN_MESSAGES: Record<string, string> = {
  check_docs_drift: 'docs_drift',
  sot_summary_check: 'sot_summary',
  doc_tests: 'doc_tests',
};

interface Options {
  python?: string;
  package_scripts: string[];
  links: boolean;
}

const PAGE = /\.(md|markdown|mdx|rst)$/i;
/** Pages larger than this are not searched for links. */
const PAGE_LIMIT = 2_000_000;

function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function packageScripts(root: string): Record<string, unknown> {
  try {
    const data = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> };
    return data.scripts && typeof data.scripts === 'object' ? data.scripts : {};
  } catch {
    return {};
  }
}

/**
 * The documentation checks a workspace has without any configuration: the Python Autopack
 * scripts where they exist, pytest's `tests/docs/`, and package.json documentation scripts.
 * Each is argv; nothing here is a command string.
 */
async function discoverChecks(ctx: CheckDiscoveryContext<Options>): Promise<CheckSpec[]> {
  const { root, env, options } = ctx;
  const python = options.python ?? (['python3', 'python'].find((name) => findProgram(name, env.PATH, root) !== undefined) ?? 'python3');
  // A committed check that was deleted from the working tree still runs, and fails as "Script not found".
  const committed = await ctx.inHead(['scripts/check_docs_drift.py', 'scripts/tidy/sot_summary_refresh.py', 'tests/docs']);
  const present = (path: string) => existsSync(join(root, path)) || committed.has(path);
  const checks: CheckSpec[] = [];
  if (present('scripts/check_docs_drift.py')) {
    checks.push({ id: 'check_docs_drift', run: [python, 'scripts/check_docs_drift.py'], timeout_s: 30 });
  }
  if (present('scripts/tidy/sot_summary_refresh.py')) {
    checks.push({ id: 'sot_summary_check', run: [python, 'scripts/tidy/sot_summary_refresh.py', '--check'], timeout_s: 30 });
  }
  if (isDirectory(join(root, 'tests/docs')) || committed.has('tests/docs')) {
    // -p no:cacheprovider: a scan must not leave .pytest_cache behind.
    checks.push({ id: 'doc_tests', run: ['pytest', '-q', '-p', 'no:cacheprovider', 'tests/docs/'], timeout_s: 60, risk: 'high', blocks_autopilot: true });
  }
  const scripts = packageScripts(root);
  for (const name of options.package_scripts) {
    if (typeof scripts[name] === 'string') checks.push({ id: `npm:${name}`, run: ['npm', 'run', '--silent', name], timeout_s: 120 });
  }
  return checks;
}

export default defineDetector<Options, PageLinks>({
  id: 'doc_drift',
  gap_type: 'doc_drift',
  title: 'Documentation drift',
  description: 'Runs the configured mechanical documentation checks (or the defaults found in the workspace) and reports each failing one with its evidence.',
  scope: 'repo',
  default: { risk: 'medium', blocks_autopilot: false },
  accepts_checks: true,
  options: v.strictObject({
    /** Interpreter for the default Python checks (default: python3, else python). */
    python: v.optional(v.pipe(v.string(), v.minLength(1))),
    /** package.json scripts run by default when present. */
    package_scripts: v.optional(v.array(v.string()), [...DEFAULT_DOC_SCRIPTS]),
    /** Check the relative links of Markdown and reStructuredText pages (reads files only, runs nothing). */
    links: v.optional(v.boolean(), true),
  }),
  messages: {
    docs_drift: {
      title: 'Documentation drift detected',
      params: ['code', 'detail'],
      description: 'scripts/check_docs_drift.py failed with exit code {code}',
      signals: ['Exit code: {code}', '{detail}'],
      remediation: 'Fix the drift scripts/check_docs_drift.py reports (see its output), then re-run it',
    },
    sot_summary: {
      title: 'SOT summary drift detected',
      params: ['code', 'detail'],
      description: 'sot_summary_refresh.py --check failed with exit code {code}',
      signals: ['Exit code: {code}', '{detail}'],
      remediation: 'Run python scripts/tidy/sot_summary_refresh.py --execute',
    },
    doc_tests: {
      title: 'Documentation tests failing',
      params: ['code', 'detail'],
      description: 'pytest tests/docs/ failed with exit code {code}',
      signals: ['Exit code: {code}', 'Documentation contract tests are failing', '{detail}'],
      remediation: 'Fix failing documentation tests',
      risk: 'high',
      blocks_autopilot: true,
    },
    check_failed: {
      title: '{title}',
      params: ['title', 'command', 'code', 'detail'],
      description: '{command} failed with exit code {code}',
      signals: ['Exit code: {code}', '{detail}'],
      remediation: 'Fix what `{command}` reports, then re-run it',
    },
    broken_links: {
      title: 'Broken links: {count} in {pages} pages',
      params: ['count', 'pages'],
      description: 'Found {count} relative links in the documentation that lead to a missing file or heading',
      signals: ['{count} broken relative links'],
      remediation: 'Fix the links (or the moved or renamed pages they point to)',
    },
    check_error: {
      title: 'Documentation check could not run: {check}',
      params: ['check', 'command', 'detail', 'code'],
      description: '{command} did not run properly: {detail}',
      signals: ['Exit code: {code}', '{detail}'],
      remediation: 'Install the missing program or fix the check (checks.doc_drift in autopack.config.yaml)',
    },
  },
  remediation: [
    {
      action_type: 'doc_update',
      title: 'Update documentation for {title}',
      description: 'Fix the documentation the check reports, then re-run the check',
      risk_score: 0.3,
      risk_factors: ['Modifies docs/'],
      cost: { tokens: 500, time_seconds: 10 },
      // Re-running the check is the way to see the drift; the fix itself is a human's (or an agent's) edit.
      command: (gap) => gap.evidence?.command_evidence?.command,
    },
  ],
  defaultChecks: discoverChecks,
  inspect: {
    select: (path, options) => options.links && PAGE.test(path),
    read: (size) => (size <= PAGE_LIMIT ? 'all' : 'none'),
    inspect: (file) => (file.bytes ? pageLinks(UTF8.decode(file.bytes), /\.rst$/i.test(file.path)) : undefined),
  },
  async detect(ctx) {
    if (ctx.checks.length === 0) ctx.note(`no documentation checks configured or found${ctx.options.links ? '; relative links checked' : ''}`);
    const findings: Finding[] = [];
    if (ctx.options.links) {
      const pages = new Map((await ctx.inspected()).map((item) => [item.path, item.verdict]));
      const broken = checkLinks(pages, new Set(await ctx.files()));
      if (broken.length > 0) {
        const files = [...new Set(broken.map((link) => link.path))];
        findings.push({
          message: 'broken_links',
          inputs: broken.map((link) => `link:${link.path}:${link.target}`),
          params: { count: broken.length, pages: files.length },
          evidence: { file_paths: files, locations: broken.map((link) => ({ path: link.path, line: link.line, message: `${link.target} (${link.reason})` })) },
          estimated_actions: broken.length,
        });
      }
    }
    // Sequential on purpose: checks are often heavy (test suites) and may share caches.
    for (const check of ctx.checks) {
      const cwd = check.cwd === undefined ? undefined : normalizeWorkspacePath(check.cwd);
      if (cwd && !cwd.ok) throw new Error(`checks.doc_drift '${check.id}': cwd '${check.cwd}' must stay inside the workspace`);
      const result = await ctx.runCheck({
        id: check.id,
        argv: check.run,
        ...(cwd?.ok && cwd.path !== '' ? { cwd: cwd.path } : {}),
        timeoutMs: (check.timeout_s ?? 60) * 1000,
      });
      const outcome = checkOutcome(check.run, result);
      if (outcome === 'pass') continue;
      const redactPaths = { paths: [[ctx.root, '<workspace>']] as const };
      const detail =
        result.error ??
        (outcome === 'error' && isPytest(check.run) ? `pytest exit ${result.exit_code}: usage error, interrupted or collection failed` : undefined) ??
        (redact(firstLine(result.stderr), redactPaths).slice(0, 200) || redact(firstLine(result.stdout), redactPaths).slice(0, 200) || 'Check failed');
      const message = outcome === 'error' ? 'check_error' : (KNOWN_MESSAGES[check.id] ?? 'check_failed');
      findings.push({
        message,
        inputs: [check.id],
        params: { code: result.exit_code, detail, check: check.id, command: result.command, title: check.title ?? `Mechanical check failed: ${check.id}` },
        evidence: { command_evidence: toCommandEvidence(result) },
        ...(check.risk ? { risk: check.risk } : {}),
        ...(check.blocks_autopilot !== undefined ? { blocks_autopilot: check.blocks_autopilot } : {}),
      });
    }
    return findings;
  },
});
