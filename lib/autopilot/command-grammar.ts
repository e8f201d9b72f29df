import { posix } from 'node:path';
import { relativeInside } from '../fs/run-layout.ts';

/**
 * What one allowlisted (sub)command accepts, default-deny: an option not listed here is not
 * read-only as far as autopack knows, so the command needs approval.
 *
 * Every argument is judged on its own. Values are accepted only attached (`--stat=10`,
 * `-n5`); a value given as the next argument is judged as an operand or an option in its own
 * right, which can only refuse more than the tool would, never less.
 */
export interface Grammar {
  /** For messages: `git diff`. */
  title: string;
  /** Long options known to be read-only, each with or without an attached `=value`. */
  long: readonly string[];
  /** Short flags known to be read-only, which may be bundled (`-la`). */
  short?: string;
  /** Short options whose value is the rest of the bundle (`-U3`, `-n5`). */
  shortWithValue?: string;
  /** Options known to write, run programs or read outside the workspace, and why. */
  forbidden?: Readonly<Record<string, string>>;
  /**
   * The tool accepts a unique prefix of a long option for the option (git's parse-options,
   * Python's argparse, GNU getopt_long). Then a prefix of a forbidden option is forbidden, and
   * a prefix of exactly one read-only option stands for it.
   */
  abbreviations: boolean;
  /** `-5` for `--max-count=5` (git log and show). */
  numericCount?: boolean;
  /** argparse's fromfile_prefix_chars: `@args.txt` would read more arguments from a file. */
  fromFilePrefix?: string;
}

export interface ParsedArguments {
  /** Canonical option names as given (abbreviations expanded), with attached values. */
  options: Map<string, string | undefined>;
  operands: string[];
}

export type ArgumentCheck = { ok: true; parsed: ParsedArguments } | { ok: false; problem: string };

/**
 * A path-like argument that lies outside the workspace, judged on its text: absolute (unless
 * inside `root`), a drive letter, or climbing out with `..`. Nothing is read from the disk;
 * symlinks are the runner's business.
 */
export function escapesWorkspace(value: string, root?: string): boolean {
  const slashed = value.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return root === undefined || relativeInside(root, value) === undefined;
  const normalized = posix.normalize(slashed);
  return normalized === '..' || normalized.startsWith('../');
}

export const pathOutside = (path: string) => `path ${path} lies outside the workspace`;
export const valueOutside = (option: string, value: string) => `the value of ${option}, ${value}, lies outside the workspace`;

/** The canonical long option `name` stands for, or why it is not allowed. */
function resolveLong(grammar: Grammar, name: string): { option: string } | { problem: string } {
  const forbidden = grammar.forbidden ?? {};
  if (forbidden[name] !== undefined) return { problem: `${name} ${forbidden[name]}` };
  if (grammar.long.includes(name)) return { option: name };
  if (grammar.abbreviations && name.length > 2) {
    const hidden = Object.keys(forbidden).find((option) => option.startsWith('--') && option.startsWith(name));
    if (hidden) return { problem: `${name} abbreviates ${hidden}, which ${forbidden[hidden]}` };
    const candidates = grammar.long.filter((option) => option.startsWith(name));
    if (candidates.length === 1) return { option: candidates[0]! };
    if (candidates.length > 1) return { problem: `${name} is ambiguous (${candidates.join(', ')})` };
  }
  return { problem: `${name} is not on the read-only list for ${grammar.title}` };
}

/** Checks every argument of an allowlisted command against its grammar and the workspace. */
export function checkArguments(grammar: Grammar, args: readonly string[], root?: string): ArgumentCheck {
  const parsed: ParsedArguments = { options: new Map(), operands: [] };
  const fail = (problem: string): ArgumentCheck => ({ ok: false, problem });
  let onlyOperands = false;
  for (const arg of args) {
    if (onlyOperands || arg === '-' || !arg.startsWith('-')) {
      if (grammar.fromFilePrefix && arg.startsWith(grammar.fromFilePrefix)) return fail(`${arg} would read more arguments from a file`);
      if (escapesWorkspace(arg, root)) return fail(pathOutside(arg));
      parsed.operands.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyOperands = true;
      continue;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = equals === -1 ? arg : arg.slice(0, equals);
      const value = equals === -1 ? undefined : arg.slice(equals + 1);
      const resolved = resolveLong(grammar, name);
      if ('problem' in resolved) return fail(resolved.problem);
      if (value !== undefined && escapesWorkspace(value, root)) return fail(valueOutside(name, value));
      parsed.options.set(resolved.option, value);
      continue;
    }
    if (grammar.numericCount && /^-\d+$/.test(arg)) {
      parsed.options.set('-n', arg.slice(1));
      continue;
    }
    // A bundle of short options: flags, then perhaps one option whose value is the rest.
    for (let index = 1; index < arg.length; index++) {
      const letter = arg[index]!;
      const flag = `-${letter}`;
      const why = grammar.forbidden?.[flag];
      if (why !== undefined) return fail(`${flag} ${why}`);
      if (grammar.shortWithValue?.includes(letter)) {
        const value = arg.slice(index + 1);
        if (escapesWorkspace(value, root)) return fail(valueOutside(flag, value));
        parsed.options.set(flag, value);
        break;
      }
      if (!grammar.short?.includes(letter)) return fail(`${flag} is not on the read-only list for ${grammar.title}`);
      parsed.options.set(flag, undefined);
    }
  }
  return { ok: true, parsed };
}
