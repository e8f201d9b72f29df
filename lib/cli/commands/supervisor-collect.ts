import { collectSupervisorResults } from '../../supervisor/collect.ts';
import { clockFromEnv } from '../../util/clock.ts';
import type { Flags } from '../commands.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

/** `autopack supervisor collect DIR…`: the matrix jobs' results as one, on stdout. Writes nothing. */
export async function supervisorCollectCommand(args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const result = await collectSupervisorResults({
    dirs: args,
    cwd: io.cwd,
    runIds: flags.runIds as string[] | undefined,
    workers: flags.workers as number | undefined,
    clock: clockFromEnv(io.env),
  });
  await emit(io, 'supervisor-result', flags.format, result);
  const missing = result.runs.filter((run) => run.error?.startsWith('no result:')).map((run) => run.run_id);
  if (missing.length > 0) logger.warn(`No result for ${missing.length} run(s): ${missing.join(', ')}; they count as failed`);
  logger.info(`Collected ${result.runs.length} run(s) from ${args.length} folder(s): ${result.status}`);
  return result.status === 'succeeded' ? 0 : 1;
}
