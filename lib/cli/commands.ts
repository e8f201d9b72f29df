import type { CliIo } from './io.ts';

export type Flags = Record<string, unknown>;

export interface CommandSpec {
  /** One or two words: `gaps scan`, `validate`. */
  name: string;
  /** Positional arguments in cac syntax: `<file>`, `[name]`. */
  args?: string;
  description: string;
  options: Array<[raw: string, description: string]>;
  examples?: string[];
  load: () => Promise<(args: string[], flags: Flags, io: CliIo) => Promise<number>>;
}

const FORMAT = '--format <format>';
const WORKSPACE = '--workspace <dir>';
const CONFIG = '--config <file>';

/** Every command of the CLI. docs/CLI.md is checked against this list by a test. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'gaps scan',
    description: 'Scan a workspace for gaps and print a GapReportV1 (writes nothing without --write)',
    options: [
      [WORKSPACE, 'Workspace to scan (default: current folder)'],
      ['--run-id <id>', 'Run id (default: local)'],
      ['--project-id <id>', 'Project id (default: config project_id, else the folder name)'],
      ['--runs-dir <dir>', 'Runs dir (default: $AUTONOMOUS_RUNS_DIR, config runs_dir, <workspace>/.autonomous_runs)'],
      ['--write', 'Write <runs>/<project>/runs/<run>/gaps/gap_report_v1.json'],
      [FORMAT, 'Output format: json or text (default: json)'],
      ['--fail-on <level>', 'Exit 1 at: blocker (default), critical, high, medium, low, never'],
      [CONFIG, 'Config file (default: autopack.config.{yaml,yml,json} in the workspace)'],
      ['--only <ids>', 'Comma-separated detector ids to run'],
    ],
    examples: ['autopack gaps scan --workspace ../shop --format text', 'autopack gaps scan --write --fail-on never | jq .summary'],
    load: async () => (await import('./commands/gaps-scan.ts')).gapsScanCommand,
  },
  {
    name: 'plan propose',
    description: 'Turn a gap report into a PlanProposalV1, every action classified by the default-deny governance policy',
    options: [
      ['--anchor-path <file>', 'Intention anchor (default: run-local intention/intention_anchor_v2.json, then intention_v2.json)'],
      ['--gap-report-path <file>', 'Gap report (default: run-local gaps/gap_report_v1.json)'],
      [WORKSPACE, 'Workspace (default: current folder)'],
      ['--run-id <id>', 'Run id (default: local)'],
      ['--project-id <id>', 'Project id (default: the anchor\'s)'],
      ['--runs-dir <dir>', 'Runs dir'],
      ['--write', 'Write <runs>/<project>/runs/<run>/plans/plan_proposal_v1.json'],
      [FORMAT, 'Output format: json or text (default: json)'],
      [CONFIG, 'Config file'],
    ],
    examples: ['autopack gaps scan --write && autopack plan propose --format text'],
    load: async () => (await import('./commands/plan-propose.ts')).planProposeCommand,
  },
  {
    name: 'autopilot run',
    description: 'Scan, propose and execute only the auto-approved, allowlisted actions (refuses without --enable)',
    options: [
      ['--enable', 'Actually run: autopilot is off by default and refuses without it (exit 2)'],
      ['--write', 'Write the gap report, plan, session and proof under the run directory (nothing without it)'],
      ['--anchor-path <file>', 'Intention anchor (default: run-local, as for plan propose)'],
      [WORKSPACE, 'Workspace (default: current folder)'],
      ['--run-id <id>', 'Run id (default: local)'],
      ['--project-id <id>', 'Project id (default: config project_id, else the folder name)'],
      ['--runs-dir <dir>', 'Runs dir'],
      [FORMAT, 'Output format: json or text (default: json)'],
      [CONFIG, 'Config file'],
    ],
    examples: ['autopack autopilot run --enable --write --format text'],
    load: async () => (await import('./commands/autopilot.ts')).autopilotRunCommand,
  },
  {
    name: 'autopilot supervise',
    description: 'Run several runs in parallel, each in its own git worktree on its own branch, with a run lock and a workspace lease (refuses without --enable)',
    options: [
      ['--run-ids <ids>', 'Comma-separated run ids (each gets its own worktree, lock, lease and run directory)'],
      ['--workers <n>', 'Runs at once (default 3); more than 1 needs an anchor allowing four_layer parallelism'],
      ['--enable', 'Actually start the runs'],
      ['--anchor-path <file>', 'Intention anchor (default: run-local of run local)'],
      ['--source-repo <dir>', 'Repository the worktrees are made from (default: current folder)'],
      ['--project-id <id>', 'Project id (default: config project_id, else the folder name)'],
      ['--runs-dir <dir>', 'Runs dir (default: <source-repo>/.autonomous_runs)'],
      ['--exec <command>', 'Run this command in each worktree instead of an autopilot session (split into argv, no shell)'],
      ['--timeout <seconds>', 'Per-run time limit; the run\'s whole process group is killed (default 7200)'],
      ['--branch-prefix <prefix>', 'Each run works on branch <prefix><run_id> (default autopack/)'],
      ['--keep-worktrees', 'Keep every worktree after its run, also those that hold no work (one that holds work is always kept)'],
      ['--discard-work', 'Throw away what earlier runs of these ids left in their worktrees: changes, untracked files, commits on no branch (run branches stay)'],
      ['--list-worktrees', 'List the repository\'s worktrees (with their lease state) and exit'],
      ['--cleanup', 'Remove worktrees that are not in use and hold no work (stopping processes left inside them), and exit'],
      [FORMAT, 'Output format: json or text (default: json)'],
      [CONFIG, 'Config file'],
    ],
    examples: ['autopack autopilot supervise --run-ids a,b,c --workers 3 --exec "npm test" --enable'],
    load: async () => (await import('./commands/supervise.ts')).superviseCommand,
  },
  {
    name: 'gc',
    description: 'Report stale run locks, workspace leases, worktrees and temp files of interrupted writes; remove them with --execute',
    options: [
      ['--execute', 'Remove what is stale (never anything in use, never a worktree that holds work)'],
      ['--source-repo <dir>', 'Repository (default: current folder)'],
      ['--project-id <id>', 'Project id'],
      ['--runs-dir <dir>', 'Runs dir'],
      [FORMAT, 'Output format: text or json (default: text)'],
      [CONFIG, 'Config file'],
    ],
    load: async () => (await import('./commands/supervise.ts')).gcCommand,
  },
  {
    name: 'proof show',
    args: '[file]',
    description: 'Render a phase proof as text (default: the newest proof of the run)',
    options: [
      [FORMAT, 'Output format: text or json (default: text)'],
      [WORKSPACE, 'Workspace (default: current folder)'],
      ['--run-id <id>', 'Run id (default: local)'],
      ['--project-id <id>', 'Project id'],
      ['--runs-dir <dir>', 'Runs dir'],
    ],
    load: async () => (await import('./commands/autopilot.ts')).proofShowCommand,
  },
  {
    name: 'anchor init',
    description: 'Print a new default-deny intention anchor (or write it with --write / --out)',
    options: [
      ['--project-id <id>', 'Project id (default: config project_id, else the folder name)'],
      ['--input <text>', 'The raw intention text; raw_input_digest is its sha256 (first 16 hex)'],
      ['--write', 'Write it run-local: <runs>/<project>/runs/<run>/intention/intention_anchor_v2.json'],
      ['--out <file>', 'Write it to this file (.yaml/.yml for YAML)'],
      ['--force', 'Replace an existing anchor file'],
      [FORMAT, 'Output format: json or yaml (default: json)'],
      [WORKSPACE, 'Workspace (default: current folder)'],
      ['--run-id <id>', 'Run id (default: local)'],
      ['--runs-dir <dir>', 'Runs dir'],
      [CONFIG, 'Config file'],
    ],
    load: async () => (await import('./commands/anchor.ts')).anchorInitCommand,
  },
  {
    name: 'anchor validate',
    args: '<file>',
    description: 'Validate an intention anchor; list its errors, warnings and the questions its missing sections raise',
    options: [[FORMAT, 'Output format: text or json (default: text)']],
    load: async () => (await import('./commands/anchor.ts')).anchorValidateCommand,
  },
  {
    name: 'detectors list',
    description: 'List the registered detectors (built-in and plugins)',
    options: [
      [WORKSPACE, 'Workspace whose config and plugins to load'],
      [CONFIG, 'Config file'],
      [FORMAT, 'Output format: text or json (default: text)'],
    ],
    load: async () => (await import('./commands/list-plugins.ts')).detectorsListCommand,
  },
  {
    name: 'actions list',
    description: 'List the registered action handlers (the autopilot allowlist)',
    options: [
      [WORKSPACE, 'Workspace whose config and plugins to load'],
      [CONFIG, 'Config file'],
      [FORMAT, 'Output format: text or json (default: text)'],
    ],
    load: async () => (await import('./commands/list-plugins.ts')).actionsListCommand,
  },
  {
    name: 'check production-config',
    description: 'Fail (exit 1) when a production config enables DEBUG',
    options: [
      ['--repo-root <dir>', 'Repository to check (default: current folder)'],
      ['--format <format>', 'Output format: text or json (default: text)'],
    ],
    load: async () => (await import('./commands/check.ts')).checkProductionConfigCommand,
  },
  {
    name: 'models list',
    description: 'List the model catalog (config/models.yaml + config/pricing.yaml, else the seed) with its source',
    options: [
      [WORKSPACE, 'Workspace whose config/models.yaml and config/pricing.yaml to use (default: current folder)'],
      [FORMAT, 'Output format: text or json (default: text)'],
    ],
    load: async () => (await import('./commands/models.ts')).modelsListCommand,
  },
  {
    name: 'models select',
    description: 'Print the model routed to a tier: cheapest, then largest context, then largest max_tokens, then id',
    options: [
      ['--tier <tier>', 'haiku, sonnet or opus'],
      ['--strict', 'Only safety-compatible models'],
      [WORKSPACE, 'Workspace whose config/models.yaml and config/pricing.yaml to use (default: current folder)'],
      [FORMAT, 'Output format: text or json (default: text)'],
    ],
    load: async () => (await import('./commands/models.ts')).modelsSelectCommand,
  },
  {
    name: 'models refresh',
    description: 'Build (or reuse, while fresh) the run\'s model routing snapshot; write it with --write',
    options: [
      ['--write', 'Write <runs>/<project>/runs/<run>/model_routing_snapshot.json'],
      ['--force', 'Rebuild even when the stored snapshot is fresh'],
      ['--strict', 'Only safety-compatible models'],
      [WORKSPACE, 'Workspace (default: current folder)'],
      ['--run-id <id>', 'Run id (default: local)'],
      ['--project-id <id>', 'Project id'],
      ['--runs-dir <dir>', 'Runs dir'],
      [FORMAT, 'Output format: json or text (default: json)'],
    ],
    load: async () => (await import('./commands/models.ts')).modelsRefreshCommand,
  },
  {
    name: 'schema',
    args: '[name]',
    description:
      'Print the JSON Schema of an artifact (intention_anchor_v2, gap_report_v1, plan_proposal_v1, autopilot_session_v1, phase_proof, supervisor_result_v1, model_routing_snapshot, config)',
    options: [
      ['--all', 'Every schema (with --out)'],
      ['--out <dir>', 'Write <name>.schema.json files into this folder instead of printing'],
      [WORKSPACE, 'Workspace whose plugins add gap types'],
      [CONFIG, 'Config file'],
    ],
    load: async () => (await import('./commands/schema.ts')).schemaCommand,
  },
  {
    name: 'validate',
    args: '<file>',
    description: 'Validate an artifact or config file (kind recognised from its content); exit 2 when invalid',
    options: [
      ['--kind <name>', 'Artifact kind, when it cannot be recognised'],
      [FORMAT, 'Output format: text or json (default: text)'],
      [WORKSPACE, 'Workspace whose plugins add gap types'],
      [CONFIG, 'Config file'],
    ],
    load: async () => (await import('./commands/validate.ts')).validateCommand,
  },
];

