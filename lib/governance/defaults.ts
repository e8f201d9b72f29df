/**
 * Paths an action may never write without a human, whatever the anchor says: the union of
 * the Python tool's three conflicting lists, plus `.git/`, `.env*` and the
 * runs dir (a write there outside the action's own run directory). The anchor extends it.
 */
export const NEVER_AUTO_APPROVE_DEFAULTS = [
  '.autonomous_runs/',
  '.env*',
  '.git/',
  '.github/',
  'CONTRIBUTING.md',
  'LICENSE',
  'README.md',
  'alembic/versions/*',
  'config/',
  'docs/',
  'package-lock.json',
  'package.json',
  'pyproject.toml',
  'requirements.txt',
  'scripts/',
  'setup.cfg',
  'setup.py',
  'src/',
  'tests/',
] as const;

/**
 * Action types that by their nature only read (and may write their run directory): the only ones
 * that can be auto-approved. Every other type — file_move, doc_update, config_update, test_fix,
 * tidy_apply, custom, … — changes the repository, whatever its handler declares.
 */
export const READ_ONLY_ACTION_TYPES: ReadonlySet<string> = new Set(['verify']);

/** Effects that can be auto-approved: nothing outside the run directory changes. */
export const SAFE_EFFECTS = ['read_only', 'run_local_write'] as const;

/** Risk at or above which an action is blocked outright. */
export const BLOCK_RISK = 0.8;
/** Risk below which a safe action is auto-approved without a rule. */
export const AUTO_APPROVE_RISK = 0.3;
/** An anchor rule can never approve an action this risky. */
export const RULE_MAX_RISK = 0.5;

/** Python's float repr for risk scores in reasons: `0.8`, `1.0`. */
export function formatRisk(risk: number): string {
  return Number.isInteger(risk) ? risk.toFixed(1) : String(risk);
}
