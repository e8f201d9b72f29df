import type { Flags } from './commands.ts';

/** A parsed option as a string (every `<value>` option arrives as one, already checked). */
export const str = (flags: Flags, key: string): string | undefined => flags[key] as string | undefined;

/**
 * The workspace flags every command shares (`--workspace`, `--run-id`, `--project-id`,
 * `--runs-dir`, `--config`), with the process facts bin passed in. Flags a command does not
 * declare are simply absent.
 */
export function workspaceFlags(flags: Flags, io: { cwd: string; env: Record<string, string | undefined> }) {
  return {
    workspace: str(flags, 'workspace'),
    cwd: io.cwd,
    env: io.env,
    runId: str(flags, 'runId'),
    projectId: str(flags, 'projectId'),
    runsDir: str(flags, 'runsDir'),
    configPath: str(flags, 'config'),
  };
}
