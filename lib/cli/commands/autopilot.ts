import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { runAutopilotSession } from '../../autopilot/session.ts';
import type { CompatTool } from '../../compat/python.ts';
import { PhaseProof } from '../../contracts/phase-proof.ts';
import { validate } from '../../contracts/issues.ts';
import { readStructuredFile } from '../../fs/read-structured.ts';
import { RUN_ARTIFACTS } from '../../fs/run-layout.ts';
import { openWorkspace } from '../../config/workspace.ts';
import { AutopackError, InvalidArtifactError } from '../../util/errors.ts';
import { clockFromEnv } from '../../util/clock.ts';
import type { Flags } from '../commands.ts';
import { str, workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

export async function autopilotRunCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const clock = clockFromEnv(io.env);
  const logger = await createCliLogger(io);
  const result = await runAutopilotSession({
    enable: flags.enable === true,
    write: flags.write === true,
    ...workspaceFlags(flags, io),
    anchorPath: str(flags, 'anchorPath'),
    compat: flags.compat as CompatTool | undefined,
    clock,
    logger,
  });
  const { session } = result;
  // --compat changes the artifacts (the JSON); other formats render autopack's session as always.
  await emit(io, 'session', flags.format, result.compat && flags.format === 'json' ? result.compat.session : session);
  for (const loss of result.compat?.losses ?? []) logger.warn(`--compat ${String(flags.compat)}: ${loss}`);
  const summary = session.execution_summary!;
  logger.info(`Session ${session.session_id}: ${session.status}`);
  logger.info(`Executed ${summary.executed_actions}/${summary.total_actions} actions (${summary.successful_actions} successful, ${summary.failed_actions} failed)`);
  if ((session.approval_requests ?? []).length > 0) logger.info(`${session.approval_requests!.length} action(s) require approval`);
  for (const path of result.written) logger.success(`Wrote ${relative(io.cwd, path) || path}`);
  return session.status === 'failed' ? 1 : 0;
}

async function readProof(path: string, display: string): Promise<PhaseProof> {
  const result = validate(PhaseProof, await readStructuredFile(path, display));
  if (!result.ok) throw new InvalidArtifactError(display, 'PhaseProof', result.issues);
  return result.value;
}

/** The newest proof of the run directory (by completion time, then name). */
async function latestProof(flags: Flags, io: CliIo): Promise<PhaseProof> {
  const workspace = await openWorkspace(workspaceFlags(flags, io));
  const dir = join(workspace.runDir, RUN_ARTIFACTS.proofs);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) {
    throw new AutopackError(`No phase proof in ${relative(io.cwd, dir) || dir}`, { hint: 'run `autopack autopilot run --enable --write` first, or pass the proof file' });
  }
  const proofs = await Promise.all(names.map((name) => readProof(join(dir, name), relative(io.cwd, join(dir, name)))));
  return proofs.reduce((latest, proof) => (proof.completed_at >= latest.completed_at ? proof : latest));
}

export async function proofShowCommand(args: string[], flags: Flags, io: CliIo): Promise<number> {
  const file = args[0];
  const proof = file ? await readProof(resolve(io.cwd, file), file) : await latestProof(flags, io);
  await emit(io, 'proof', flags.format, proof);
  return 0;
}
