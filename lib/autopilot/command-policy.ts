import { posix } from 'node:path';
import { normalizeWorkspacePath } from '../governance/paths.ts';
import { splitShellWords } from '../util/shell-words.ts';

export type CommandClass = 'safe' | 'requires_approval' | 'blocked';

export interface Classified {
  classification: CommandClass;
  reason: string;
}

/** Characters that make a shell do more than run one program: separators, pipes, redirections, substitutions, comments. */
const SHELL_SYNTAX = /[;&|<>`$#\n\r]|\(|\)/;

type Rule = (args: readonly string[]) => string | undefined;

const forbid = (flags: readonly string[]): Rule => (args) => {
  for (const arg of args) {
    const name = arg.split('=')[0]!;
    if (flags.includes(name)) return `${name} is not read-only`;
    // Short flags bundled like -fD.
    if (/^-[A-Za-z]{2,}$/.test(arg)) for (const letter of arg.slice(1)) if (flags.includes(`-${letter}`)) return `-${letter} is not read-only`;
  }
  return undefined;
};

const requireFlag = (flag: string, inner: Rule = () => undefined): Rule => (args) =>
  args.includes(flag) ? inner(args) : `only the ${flag} form is read-only`;

/** git output options that write files or run programs. */
const GIT_WRITES = ['--output', '-o', '--ext-diff', '--textconv', '--exec', '--upload-pack'];

/**
 * The read-only commands an autopilot may run without approval, keyed by program and then
 * subcommand, each with what makes it unsafe. Matching is on argv[0] (and argv[1]), never on a
 * substring of the line: `echo mypy` is not mypy.
 */
const ALLOWED: Record<string, Rule | Record<string, Rule>> = {
  git: {
    status: forbid(GIT_WRITES),
    diff: forbid(GIT_WRITES),
    log: forbid(GIT_WRITES),
    show: forbid(GIT_WRITES),
    'rev-parse': forbid(GIT_WRITES),
    // Only the listing forms: a bare name would create a branch; these flags change branches.
    branch: (args) => {
      const changing = forbid(['-d', '-D', '--delete', '-m', '-M', '--move', '-c', '-C', '--copy', '-f', '--force', '-u', '--set-upstream-to', '--unset-upstream', '--edit-description', '-t', '--track', '--no-track', '--create-reflog'])(args);
      if (changing) return changing;
      const lists = args.some((arg) => ['--list', '-l', '--contains', '--no-contains', '--merged', '--no-merged', '--points-at'].includes(arg.split('=')[0]!));
      return !lists && args.some((arg) => !arg.startsWith('-')) ? 'git branch NAME creates a branch' : undefined;
    },
  },
  python: {
    'scripts/check_docs_drift.py': (args) => (args.length === 0 ? undefined : 'only the bare check is allowlisted'),
    'scripts/tidy/sot_summary_refresh.py': (args) => (args.length === 1 && args[0] === '--check' ? undefined : 'only --check is read-only'),
    '-m': (args) => (args[0] === 'pytest' ? requireFlag('--collect-only', forbid(['--basetemp', '--junitxml', '--junit-xml', '--resultlog', '--lf', '--cache-clear']))(args.slice(1)) : 'only python -m pytest --collect-only is allowlisted'),
  },
  pytest: requireFlag('--collect-only', forbid(['--basetemp', '--junitxml', '--junit-xml', '--resultlog', '--cache-clear'])),
  ruff: { check: forbid(['--fix', '--unsafe-fixes', '--add-noqa', '--output-file', '-o', '--watch', '-w']) },
  black: requireFlag('--check'),
  mypy: forbid(['--install-types', '--non-interactive', '--junit-xml', '--html-report', '--xml-report', '--txt-report', '--linecount-report', '--any-exprs-report', '--cobertura-xml-report']),
  flake8: forbid(['--output-file', '--tee']),
  ls: () => undefined,
  dir: () => undefined,
  find: (args) => {
    if (!args.includes('-name') && !args.includes('-iname')) return 'only find … -name is allowlisted';
    return forbid(['-delete', '-exec', '-execdir', '-ok', '-okdir', '-fprint', '-fprint0', '-fprintf', '-fls'])(args);
  },
};

/**
 * Classifies a command against the read-only allowlist (the `[REQ]` column of reference B
 * §2.4). Shell syntax anywhere (separators, pipes, redirections, substitutions, a newline)
 * means the line is not one command: `requires_approval`. So does anything not on the list
 * (default-deny), and any forbidden flag of an allowlisted tool.
 */
export function classifyCommand(command: string | readonly string[]): Classified {
  if (typeof command === 'string') {
    if (SHELL_SYNTAX.test(command) || command.includes('${')) return { classification: 'requires_approval', reason: 'Command requires approval: shell syntax (separators, pipes, redirection or substitution)' };
    if (command !== command.trim()) return { classification: 'requires_approval', reason: 'Command requires approval: surrounding whitespace (default-deny)' };
    const argv = splitShellWords(command);
    if (!argv || argv.length === 0) return { classification: 'requires_approval', reason: 'Command requires approval: not a single command' };
    return classifyCommand(argv);
  }
  const argv = [...command];
  if (argv.length === 0) return { classification: 'requires_approval', reason: 'Command requires approval: empty' };
  if (argv.some((arg) => /[\n\r\0]/.test(arg))) return { classification: 'requires_approval', reason: 'Command requires approval: control characters in an argument' };
  const program = argv[0]!.toLowerCase();
  const entry = ALLOWED[program];
  if (!entry) return { classification: 'requires_approval', reason: `Command requires approval: ${argv[0]} is not on the read-only allowlist` };
  let problem: string | undefined;
  if (typeof entry === 'function') problem = entry(argv.slice(1));
  else {
    const sub = (argv[1] ?? '').toLowerCase();
    const rule = entry[sub] ?? entry[argv[1] ?? ''];
    problem = rule ? rule(argv.slice(2)) : `${argv[0]} ${argv[1] ?? ''}`.trim() + ' is not on the read-only allowlist';
  }
  return problem ? { classification: 'requires_approval', reason: `Command requires approval: ${problem}` } : { classification: 'safe', reason: '' };
}

/**
 * Where a handler may write: normalised first (`.autonomous_runs/../src` is `src`), absolute or
 * escaping paths and `..` tricks blocked, and only below `runRoot` (the run directory, or the
 * runs dir for the reference table) safe.
 */
export function classifyFileWrite(path: string, runRoot = '.autonomous_runs'): Classified {
  const slashed = path.replace(/\\/g, '/');
  const normalized = normalizeWorkspacePath(slashed);
  if (!normalized.ok) {
    return normalized.reason === 'empty'
      ? { classification: 'requires_approval', reason: 'File write requires approval: empty path' }
      : { classification: 'blocked', reason: `File write blocked: ${normalized.reason === 'absolute' ? 'absolute path' : 'path escapes the workspace'} ${path}` };
  }
  if (slashed.split('/').includes('..')) return { classification: 'blocked', reason: `File write blocked: '..' in ${path}` };
  const root = posix.normalize(runRoot).replace(/\/+$/, '');
  if (normalized.path.startsWith(`${root}/`)) return { classification: 'safe', reason: '' };
  return { classification: 'requires_approval', reason: `File write requires approval: ${path} is outside ${root}/` };
}

/** Reads stay inside the workspace. */
export function classifyFileRead(path: string): Classified {
  const normalized = normalizeWorkspacePath(path);
  if (!normalized.ok && normalized.reason !== 'empty') return { classification: 'blocked', reason: `File read blocked: ${path} is outside the workspace` };
  return { classification: 'safe', reason: '' };
}
