import { AutopackError } from '../util/errors.ts';

/**
 * cac (through mri) turns `--run-id 007` into the number 7. For options that take a value
 * the raw string is recovered from argv, so ids and paths arrive exactly as typed.
 */
export function rawOptionValue(argv: readonly string[], names: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    for (const name of names) {
      const flag = name.length === 1 ? `-${name}` : `--${name}`;
      if (arg === flag && i + 1 < argv.length) found = argv[i + 1];
      else if (arg.startsWith(`${flag}=`)) found = arg.slice(flag.length + 1);
    }
  }
  return found;
}

export function stringFlag(value: unknown, flag: string): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (Array.isArray(value)) throw new AutopackError(`${flag} was given more than once`);
  if (value === true || value === '') throw new AutopackError(`${flag} needs a value`);
  return String(value);
}

export function choiceFlag<T extends string>(value: string | undefined, flag: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new AutopackError(`${flag} must be one of ${choices.join(', ')} (got '${value}')`);
  }
  return value as T;
}

/** `a,b, c` → ['a','b','c']; empty items dropped. */
export function listFlag(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The workspace flags every command shares (`--workspace`, `--run-id`, `--project-id`,
 * `--runs-dir`, `--config`), with the process facts bin passed in. Flags a command does not
 * declare are simply absent.
 */
export function workspaceFlags(flags: Record<string, unknown>, io: { cwd: string; env: Record<string, string | undefined> }) {
  return {
    workspace: stringFlag(flags.workspace, '--workspace'),
    cwd: io.cwd,
    env: io.env,
    runId: stringFlag(flags.runId, '--run-id'),
    projectId: stringFlag(flags.projectId, '--project-id'),
    runsDir: stringFlag(flags.runsDir, '--runs-dir'),
    configPath: stringFlag(flags.config, '--config'),
  };
}
