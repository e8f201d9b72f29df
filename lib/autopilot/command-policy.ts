import { posix } from 'node:path';
import { normalizeWorkspacePath } from '../governance/paths.ts';
import { splitShellWords } from '../util/shell-words.ts';
import { ALLOWED } from './command-allowlist.ts';

export type CommandClass = 'safe' | 'requires_approval' | 'blocked';

export interface Classified {
  classification: CommandClass;
  reason: string;
}

/** Characters that make a shell do more than run one program: separators, pipes, redirections, substitutions, comments. */
const SHELL_SYNTAX = /[;&|<>`$#\n\r]|\(|\)/;

export interface CommandContext {
  /**
   * The workspace root, for purely lexical checks: an absolute argument inside it is allowed.
   * Without it every absolute argument needs approval. Nothing is read from the disk.
   */
  root?: string;
}

/**
 * Classifies a command against the read-only allowlist. Shell syntax anywhere (separators,
 * pipes, redirections, substitutions, a newline) means the line is not one command:
 * `requires_approval`. So does anything not on the list (default-deny): a program, a
 * subcommand or an option autopack does not know to be read-only, an abbreviation of a
 * forbidden option (git and argparse accept unique prefixes: `--set-upstream-t` is
 * `--set-upstream-to`), and any argument or option value naming a path outside the workspace.
 * Matching is on argv[0] (and argv[1]), never on a substring of the line: `echo mypy` is not
 * mypy.
 */
export function classifyCommand(command: string | readonly string[], context: CommandContext = {}): Classified {
  if (typeof command === 'string') {
    if (SHELL_SYNTAX.test(command) || command.includes('${')) return { classification: 'requires_approval', reason: 'Command requires approval: shell syntax (separators, pipes, redirection or substitution)' };
    if (command !== command.trim()) return { classification: 'requires_approval', reason: 'Command requires approval: surrounding whitespace (default-deny)' };
    const argv = splitShellWords(command);
    if (!argv || argv.length === 0) return { classification: 'requires_approval', reason: 'Command requires approval: not a single command' };
    return classifyCommand(argv, context);
  }
  const argv = [...command];
  if (argv.length === 0) return { classification: 'requires_approval', reason: 'Command requires approval: empty' };
  if (argv.some((arg) => /[\n\r\0]/.test(arg))) return { classification: 'requires_approval', reason: 'Command requires approval: control characters in an argument' };
  const program = argv[0]!.toLowerCase();
  const entry = ALLOWED[program];
  if (!entry) return { classification: 'requires_approval', reason: `Command requires approval: ${argv[0]} is not on the read-only allowlist` };
  let problem: string | undefined;
  if (typeof entry === 'function') problem = entry(argv.slice(1), context.root);
  else {
    const sub = argv[1] ?? '';
    const rule = entry[sub.toLowerCase()] ?? entry[sub];
    if (rule) problem = rule(argv.slice(2), context.root);
    else if (sub.startsWith('-') && program === 'git') problem = `git options before the subcommand (${sub}) are not read-only: -C, -c, --git-dir and the like change what git reads and runs`;
    else problem = `${`${argv[0]} ${sub}`.trim()} is not on the read-only allowlist`;
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
