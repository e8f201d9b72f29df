import { openWorkspace } from '../../config/workspace.ts';
import { describeActions, describeDetectors } from '../../registry/describe.ts';
import type { Flags } from '../commands.ts';
import { workspaceFlags } from '../flags.ts';
import { emit, type CliIo } from '../io.ts';

export async function detectorsListCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const workspace = await openWorkspace(workspaceFlags(flags, io));
  await emit(io, 'detectors', flags.format, await describeDetectors(workspace));
  return 0;
}

export async function actionsListCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const workspace = await openWorkspace(workspaceFlags(flags, io));
  await emit(io, 'actions', flags.format, describeActions(workspace));
  return 0;
}
