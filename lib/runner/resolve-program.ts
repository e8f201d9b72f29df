import { accessSync, constants, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';

/** Interpreters whose first non-option argument is a script path that must exist. */
const INTERPRETER = /^(python[0-9.]*|pypy[0-9.]*|node|nodejs|bun|deno|tsx|ts-node|bash|sh|zsh|dash|ksh|fish|ruby|perl|php|Rscript|pwsh)$/;
/** Interpreter options after which the next argument is code or a module, not a script. */
const NO_SCRIPT_AFTER = new Set(['-c', '-m', '-e', '--eval', '-p', '--print', '-r', 'run', 'task', 'eval', 'x']);
/** Interpreter options that consume the following argument. */
const TAKES_VALUE = new Set(['-W', '-X', '-O', '--require', '--import', '--loader', '-I']);

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds a program on PATH the way a shell would; undefined when it is not there. */
export function findProgram(name: string, pathEnv: string | undefined, cwd: string): string | undefined {
  if (name.includes('/')) {
    const full = isAbsolute(name) ? name : resolve(cwd, name);
    return isExecutableFile(full) ? full : undefined;
  }
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** The script an interpreter command would run, if the argv names one. */
export function scriptArgument(argv: readonly string[]): string | undefined {
  const program = basename(argv[0] ?? '');
  if (!INTERPRETER.test(program)) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (NO_SCRIPT_AFTER.has(arg)) return undefined;
    if (TAKES_VALUE.has(arg)) {
      i += 1;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return arg;
  }
  return undefined;
}

export type ProgramProblem = { kind: 'program'; error: string } | { kind: 'script'; error: string };

/**
 * Checks, before anything is spawned, that the program and (for interpreters) the script
 * exist, so that a missing one is reported precisely instead of as a shell's exit 127 or
 * Python's exit 2.
 */
export function checkProgram(argv: readonly string[], cwd: string, pathEnv: string | undefined): ProgramProblem | undefined {
  const program = argv[0] ?? '';
  if (program.includes('/')) {
    const full = isAbsolute(program) ? program : resolve(cwd, program);
    if (!isExecutableFile(full)) {
      const exists = (() => {
        try {
          return statSync(full).isFile();
        } catch {
          return false;
        }
      })();
      return { kind: 'script', error: exists ? `Script not executable: ${program}` : `Script not found: ${program}` };
    }
  } else if (findProgram(program, pathEnv, cwd) === undefined) {
    return { kind: 'program', error: `Program not found: ${program}` };
  }
  const script = scriptArgument(argv);
  if (script !== undefined) {
    const full = isAbsolute(script) ? script : resolve(cwd, script);
    try {
      statSync(full);
    } catch {
      return { kind: 'script', error: `Script not found: ${script}` };
    }
  }
  return undefined;
}
