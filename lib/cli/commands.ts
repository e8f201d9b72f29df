import type { CliIo } from './io.ts';
import { choice, flag, list, positiveNumber, text, wholeNumber, type OptionSpec } from './options.ts';

export type Flags = Record<string, unknown>;

export interface CommandSpec {
  /** One or two words: `gaps scan`, `validate`. */
  name: string;
  /** Positional arguments in cac syntax: `<file>`, `[name]`. */
  args?: string;
  description: string;
  options: OptionSpec[];
  /** What it prints: the kind of output whose reporters give `--format` its choices, and the default format. */
  output?: { kind: string; default: string };
  examples?: string[];
  load: () => Promise<(args: string[], flags: Flags, io: CliIo) => Promise<number>>;
}

const workspace = (description = 'Workspace (default: the repository of the current folder)') => text('--workspace <dir>', description);
const config = (description = 'Config file (default: autopack.config.{yaml,yml,json} in the workspace)') => text('--config <file>', description);
const runId = () => text('--run-id <id>', 'Run id (default: local)');
const projectId = (description = 'Project id (default: config project_id, else the folder name)') => text('--project-id <id>', description);
const runsDir = (description = 'Runs dir (default: $AUTONOMOUS_RUNS_DIR, config runs_dir, <workspace>/.autonomous_runs)') => text('--runs-dir <dir>', description);

/** Every command of the CLI. docs/CLI.md is checked against this list by a test. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'gaps scan',
    args: '[...paths]',
    description: 'Scan a workspace for gaps and print a GapReportV1 (writes nothing without --write); [...paths] with --files',
    options: [
      flag('--staged', 'Judge only what the next commit holds, read from the index (for pre-commit hooks)'),
      text('--since <ref>', 'Judge only what changed since the merge base with REF (for CI on a branch)'),
      flag('--files', 'Judge only the paths given as arguments (what the pre-commit framework passes)'),
      workspace('Workspace to scan (default: the repository of the current folder)'),
      runId(),
      projectId(),
      runsDir(),
      flag('--write', 'Write <runs>/<project>/runs/<family>/<run>/gaps/gap_report_v1.json'),
      choice('--fail-on <level>', 'Exit 1 at: blocker (default), critical, high, medium, low, never', ['blocker', 'critical', 'high', 'medium', 'low', 'never']),
      config(),
      list('--only <ids>', 'Comma-separated detector ids to run'),
      flag('--checks', "Run the repository's mechanical checks (the default for a full scan); --no-checks runs no repository code"),
      flag('--no-checks', 'Run no repository code: no checks (configured or found) and no config plugins'),
      text('--baseline <file>', 'An earlier GapReportV1: every gap is marked new or unchanged, and only new ones decide the exit code'),
      choice('--compat <tool>', 'Write (and print) artifacts the Python tool reads: exactly its fields and values', ['python']),
    ],
    output: { kind: 'gap-report', default: 'json' },
    examples: ['autopack gaps scan --workspace ../shop --format text', 'autopack gaps scan --write --fail-on never | jq .summary'],
    load: async () => (await import('./commands/gaps-scan.ts')).gapsScanCommand,
  },
  {
    name: 'gaps baseline',
    description: 'Scan the whole workspace and record the report as the baseline that `gaps scan --baseline` holds the line against',
    options: [
      workspace(),
      projectId(),
      runsDir(),
      config(),
      flag('--write', 'Write it to <runs>/<project>/baseline/gap_report_v1.json'),
      text('--out <file>', 'Write it to this file instead (to commit it, say)'),
      flag('--no-checks', 'Run no repository code while recording it'),
    ],
    output: { kind: 'gap-report', default: 'json' },
    examples: ['autopack gaps baseline --write && autopack gaps scan --baseline .autonomous_runs/<project>/baseline/gap_report_v1.json'],
    load: async () => (await import('./commands/gaps-baseline.ts')).gapsBaselineCommand,
  },
  {
    name: 'init',
    description: 'Print (and with --write create) a starter autopack.config.yaml for the workspace; never replaces a config',
    options: [
      workspace('Workspace (default: the repository of the current folder)'),
      flag('--write', 'Create the file at the workspace root (never over an existing autopack.config.{yaml,yml,json})'),
      choice('--format <format>', 'yaml (default): autopack.config.yaml, commented; json: autopack.config.json', ['yaml', 'json']),
    ],
    examples: ['autopack init', 'autopack init --write && autopack validate autopack.config.yaml'],
    load: async () => (await import('./commands/init.ts')).initCommand,
  },
  {
    name: 'hooks install',
    description: "Print (and with --write install) a git pre-commit hook that runs `gaps scan --staged`; never replaces a hook autopack did not write",
    options: [workspace('Repository (default: the one of the current folder)'), flag('--write', 'Install it as the repository\'s pre-commit hook')],
    load: async () => (await import('./commands/hooks.ts')).hooksInstallCommand,
  },
  {
    name: 'plan propose',
    description: 'Turn a gap report into a PlanProposalV1, every action classified by the default-deny governance policy',
    options: [
      text('--anchor-path <file>', 'Intention anchor (default: run-local intention/intention_anchor_v2.json, then intention_v2.json)'),
      text('--gap-report-path <file>', 'Gap report (default: run-local gaps/gap_report_v1.json)'),
      workspace(),
      runId(),
      projectId("Project id of the run directory (default: config, else the folder name) and of the plan (default: the anchor's)"),
      runsDir(),
      flag('--write', 'Write <runs>/<project>/runs/<family>/<run>/plans/plan_proposal_v1.json'),
      config(),
      choice('--compat <tool>', 'Write (and print) artifacts the Python tool reads: exactly its fields and values', ['python']),
    ],
    output: { kind: 'plan', default: 'json' },
    examples: ['autopack gaps scan --write && autopack plan propose --format text'],
    load: async () => (await import('./commands/plan-propose.ts')).planProposeCommand,
  },
  {
    name: 'autopilot run',
    description: 'Scan, propose and execute only the auto-approved, allowlisted actions (refuses without --enable)',
    options: [
      flag('--enable', 'Actually run: autopilot is off by default and refuses without it (exit 2)'),
      flag('--write', 'Write the gap report, plan, session and proof under the run directory (nothing without it)'),
      text('--anchor-path <file>', 'Intention anchor (default: run-local, as for plan propose)'),
      workspace(),
      runId(),
      projectId(),
      runsDir(),
      config(),
      choice('--compat <tool>', 'Write (and print) artifacts the Python tool reads: exactly its fields and values', ['python']),
    ],
    output: { kind: 'session', default: 'json' },
    examples: ['autopack autopilot run --enable --write --format text'],
    load: async () => (await import('./commands/autopilot.ts')).autopilotRunCommand,
  },
  {
    name: 'autopilot supervise',
    description: 'Run several runs in parallel, each in its own git worktree on its own branch, with a run lock and a workspace lease (refuses without --enable)',
    options: [
      list('--run-ids <ids>', 'Comma-separated run ids (each gets its own worktree, lock, lease and run directory)'),
      wholeNumber('--workers <n>', 'Runs at once (default 3); more than 1 needs an anchor allowing four_layer parallelism'),
      flag('--enable', 'Actually start the runs'),
      text('--anchor-path <file>', 'Intention anchor (default: run-local of run local)'),
      text('--source-repo <dir>', 'Repository the worktrees are made from (default: current folder)'),
      projectId(),
      runsDir('Runs dir (default: <source-repo>/.autonomous_runs)'),
      text('--exec <command>', 'Run this command in each worktree instead of an autopilot session (split into argv, no shell)'),
      positiveNumber('--timeout <seconds>', "Per-run time limit; the run's whole process group is killed (default 7200)"),
      text('--branch-prefix <prefix>', 'Each run works on branch <prefix><run_id> (default autopack/)'),
      flag('--keep-worktrees', 'Keep every worktree after its run, also those that hold no work (one that holds work is always kept)'),
      flag('--discard-work', 'Throw away what earlier runs of these ids left in their worktrees: changes, untracked files, commits on no branch (run branches stay)'),
      flag('--list-worktrees', "List the repository's worktrees (with their lease state) and exit"),
      flag('--cleanup', 'Remove worktrees that are not in use and hold no work (stopping processes left inside them), and exit'),
      choice('--emit-matrix <ci>', 'Check the runs and the gate as a supervise would, print them as a CI job matrix (github: one line of JSON) and exit; creates nothing, needs no --enable', ['github']),
      config(),
    ],
    output: { kind: 'supervisor-result', default: 'json' },
    examples: [
      'autopack autopilot supervise --run-ids a,b,c --workers 3 --exec "npm test" --enable',
      'echo "matrix=$(autopack autopilot supervise --run-ids a,b,c --anchor-path anchor.yaml --emit-matrix github)" >> "$GITHUB_OUTPUT"',
    ],
    load: async () => (await import('./commands/supervise.ts')).superviseCommand,
  },
  {
    name: 'supervisor collect',
    args: '<...dirs>',
    description: "Merge the runs dirs of a fan-out's jobs (one autopilot supervise each, as downloaded) into one SupervisorResultV1; writes nothing",
    options: [
      list('--run-ids <ids>', 'The runs the result must hold, in this order; one that no folder holds is a failed run (default: every run found, in folder order)'),
      wholeNumber('--workers <n>', 'How many of the runs ran at once, as recorded in the result (default: all of them)'),
    ],
    output: { kind: 'supervisor-result', default: 'json' },
    examples: ['autopack supervisor collect --run-ids a,b,c runs/autopack-run-a runs/autopack-run-b runs/autopack-run-c > result.json'],
    load: async () => (await import('./commands/supervisor-collect.ts')).supervisorCollectCommand,
  },
  {
    name: 'gc',
    description: 'Report stale run locks, workspace leases, worktrees and temp files of interrupted writes; remove them with --execute',
    options: [
      flag('--execute', 'Remove what is stale (never anything in use, never a worktree that holds work)'),
      text('--source-repo <dir>', 'Repository (default: current folder)'),
      projectId('Project id'),
      runsDir('Runs dir'),
      config(),
    ],
    output: { kind: 'gc', default: 'text' },
    load: async () => (await import('./commands/supervise.ts')).gcCommand,
  },
  {
    name: 'proof show',
    args: '[file]',
    description: 'Render a phase proof as text (default: the newest proof of the run)',
    options: [workspace(), runId(), projectId('Project id'), runsDir('Runs dir')],
    output: { kind: 'proof', default: 'text' },
    load: async () => (await import('./commands/autopilot.ts')).proofShowCommand,
  },
  {
    name: 'anchor init',
    description: 'Print a new default-deny intention anchor (or write it with --write / --out)',
    options: [
      projectId(),
      text('--input <text>', 'The raw intention text; raw_input_digest is its sha256 (first 16 hex)'),
      flag('--write', 'Write it run-local: <runs>/<project>/runs/<family>/<run>/intention/intention_anchor_v2.json'),
      text('--out <file>', 'Write it to this file (.yaml/.yml for YAML)'),
      flag('--force', 'Replace an existing anchor file'),
      workspace(),
      runId(),
      runsDir('Runs dir'),
      config('Config file'),
    ],
    output: { kind: 'anchor', default: 'json' },
    load: async () => (await import('./commands/anchor.ts')).anchorInitCommand,
  },
  {
    name: 'anchor validate',
    args: '<file>',
    description: 'Validate an intention anchor; list its errors, warnings and the questions its missing sections raise',
    options: [],
    output: { kind: 'anchor-validation', default: 'text' },
    load: async () => (await import('./commands/anchor.ts')).anchorValidateCommand,
  },
  {
    name: 'detectors list',
    description: 'List the registered detectors (built-in and plugins)',
    options: [workspace('Workspace whose config and plugins to load'), config('Config file')],
    output: { kind: 'detectors', default: 'text' },
    load: async () => (await import('./commands/list-plugins.ts')).detectorsListCommand,
  },
  {
    name: 'actions list',
    description: 'List the registered action handlers (the autopilot allowlist)',
    options: [workspace('Workspace whose config and plugins to load'), config('Config file')],
    output: { kind: 'actions', default: 'text' },
    load: async () => (await import('./commands/list-plugins.ts')).actionsListCommand,
  },
  {
    name: 'detectors new',
    args: '<id>',
    description: 'Print (and with --write create) a detector plugin, a failing and a passing fixture, and a test that runs them with plain node',
    options: [
      text('--dir <dir>', 'Folder for the plugin, inside the workspace (default: <workspace>/plugins)'),
      flag('--typescript', 'Write TypeScript (.mts, its test run with npx tsx) instead of JavaScript (.mjs)'),
      flag('--write', 'Create the files (never replacing one that exists)'),
      workspace(),
      config('Config file'),
    ],
    examples: ['autopack detectors new license_missing --write && node plugins/license-missing.test.mjs'],
    load: async () => (await import('./commands/scaffold.ts')).detectorsNewCommand,
  },
  {
    name: 'actions new',
    args: '<id>',
    description: 'Print (and with --write create) a read-only verify action handler plugin and its test',
    options: [
      list('--verifies <types>', 'Comma-separated gap types it verifies (the planner proposes it for their gaps)'),
      text('--dir <dir>', 'Folder for the plugin, inside the workspace (default: <workspace>/plugins)'),
      flag('--typescript', 'Write TypeScript (.mts, its test run with npx tsx) instead of JavaScript (.mjs)'),
      flag('--write', 'Create the files (never replacing one that exists)'),
      workspace(),
      config('Config file'),
    ],
    examples: ['autopack actions new verify_licenses --verifies license_missing --write'],
    load: async () => (await import('./commands/scaffold.ts')).actionsNewCommand,
  },
  {
    name: 'check production-config',
    description: 'Fail (exit 1) when a production config enables DEBUG',
    options: [text('--repo-root <dir>', 'Repository to check (default: current folder)')],
    output: { kind: 'production-config', default: 'text' },
    load: async () => (await import('./commands/check.ts')).checkProductionConfigCommand,
  },
  {
    name: 'models list',
    description: 'List the model catalog (config/models.yaml + config/pricing.yaml, else the seed) with its source',
    options: [workspace('Workspace whose config/models.yaml and config/pricing.yaml to use (default: current folder)')],
    output: { kind: 'models', default: 'text' },
    load: async () => (await import('./commands/models.ts')).modelsListCommand,
  },
  {
    name: 'models select',
    description: 'Print the model routed to a tier: cheapest, then largest context, then largest max_tokens, then id',
    options: [
      text('--tier <tier>', 'haiku, sonnet or opus'),
      flag('--strict', 'Only safety-compatible models'),
      workspace('Workspace whose config/models.yaml and config/pricing.yaml to use (default: current folder)'),
    ],
    output: { kind: 'model-selection', default: 'text' },
    load: async () => (await import('./commands/models.ts')).modelsSelectCommand,
  },
  {
    name: 'models refresh',
    description: "Build (or reuse, while fresh) the run's model routing snapshot; write it with --write",
    options: [
      flag('--write', 'Write <runs>/<project>/runs/<family>/<run>/model_routing_snapshot.json'),
      flag('--force', 'Rebuild even when the stored snapshot is fresh'),
      flag('--strict', 'Only safety-compatible models'),
      workspace(),
      runId(),
      projectId('Project id'),
      runsDir('Runs dir'),
    ],
    output: { kind: 'routing-snapshot', default: 'json' },
    load: async () => (await import('./commands/models.ts')).modelsRefreshCommand,
  },
  {
    name: 'schema',
    args: '[name]',
    description:
      'Print the JSON Schema of an artifact (intention_anchor_v2, gap_report_v1, plan_proposal_v1, autopilot_session_v1, phase_proof, supervisor_result_v1, model_routing_snapshot, config)',
    options: [
      flag('--all', 'Every schema (with --out)'),
      text('--out <dir>', 'Write <name>.schema.json files into this folder instead of printing'),
      workspace('Workspace whose plugins add gap types'),
      config('Config file'),
    ],
    load: async () => (await import('./commands/schema.ts')).schemaCommand,
  },
  {
    name: 'validate',
    args: '<file>',
    description: 'Validate an artifact or config file (kind recognised from its content); exit 2 when invalid',
    options: [text('--kind <name>', 'Artifact kind, when it cannot be recognised'), workspace('Workspace whose plugins add gap types'), config('Config file')],
    output: { kind: 'validation', default: 'text' },
    load: async () => (await import('./commands/validate.ts')).validateCommand,
  },
];
