import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckSpec } from '../contracts/config.ts';
import { findProgram } from '../runner/resolve-program.ts';

/** package.json scripts that, when present, are run as documentation checks. */
export const DEFAULT_DOC_SCRIPTS = ['docs:check', 'check:docs', 'docs:test', 'test:docs', 'docs:lint', 'lint:docs'] as const;

export interface DefaultCheckOptions {
  root: string;
  pathEnv: string | undefined;
  /** Interpreter override; otherwise python3, then python. */
  python?: string | undefined;
  scripts: readonly string[];
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
 * The documentation checks a workspace has without any configuration: the Python tool's
 * scripts when they exist (reference A §5.2 (1)) and package.json documentation scripts.
 * Each is argv; nothing here is a command string.
 */
export function discoverDefaultChecks(options: DefaultCheckOptions): CheckSpec[] {
  const { root } = options;
  const python =
    options.python ?? (['python3', 'python'].find((name) => findProgram(name, options.pathEnv, root) !== undefined) ?? 'python3');
  const checks: CheckSpec[] = [];
  if (existsSync(join(root, 'scripts/check_docs_drift.py'))) {
    checks.push({ id: 'check_docs_drift', run: [python, 'scripts/check_docs_drift.py'], timeout_s: 30 });
  }
  if (existsSync(join(root, 'scripts/tidy/sot_summary_refresh.py'))) {
    checks.push({ id: 'sot_summary_check', run: [python, 'scripts/tidy/sot_summary_refresh.py', '--check'], timeout_s: 30 });
  }
  if (isDirectory(join(root, 'tests/docs'))) {
    // -p no:cacheprovider: a scan must not leave .pytest_cache behind.
    checks.push({ id: 'doc_tests', run: ['pytest', '-q', '-p', 'no:cacheprovider', 'tests/docs/'], timeout_s: 60, risk: 'high', blocks_autopilot: true });
  }
  const scripts = packageScripts(root);
  for (const name of options.scripts) {
    if (typeof scripts[name] === 'string') checks.push({ id: `npm:${name}`, run: ['npm', 'run', '--silent', name], timeout_s: 120 });
  }
  return checks;
}

/** pytest's exit codes: 5 = nothing collected (a pass here), 2–4 = it could not run properly. */
export function isPytest(argv: readonly string[]): boolean {
  const program = argv[0]?.split('/').pop() ?? '';
  return program === 'pytest' || program === 'py.test' || (argv[1] === '-m' && argv[2] === 'pytest');
}

/** Outcome of a check run: pass, drift (it ran and failed) or an environment error (it could not run). */
export function checkOutcome(argv: readonly string[], result: { exit_code: number; timed_out: boolean }): 'pass' | 'drift' | 'error' {
  if (result.exit_code === -1 || result.timed_out) return 'error';
  if (isPytest(argv)) {
    if (result.exit_code === 0 || result.exit_code === 5) return 'pass';
    if (result.exit_code >= 2 && result.exit_code <= 4) return 'error';
    return 'drift';
  }
  return result.exit_code === 0 ? 'pass' : 'drift';
}

/**
 * The checks a detector runs in this workspace: `checks.<id>` from the config, or for
 * doc_drift the defaults found in the workspace. The only argv an action handler may run
 * beyond the read-only allowlist: trusted configuration, never a report's contents.
 */
export function resolveChecks(
  detectorId: string,
  context: { root: string; pathEnv: string | undefined; configured: Readonly<Record<string, readonly CheckSpec[]>>; options: unknown },
): CheckSpec[] {
  const configured = context.configured[detectorId];
  if (configured) return [...configured];
  if (detectorId !== 'doc_drift') return [];
  const options = (context.options ?? {}) as { python?: string; package_scripts?: string[] };
  return discoverDefaultChecks({ root: context.root, pathEnv: context.pathEnv, python: options.python, scripts: options.package_scripts ?? DEFAULT_DOC_SCRIPTS });
}
