import { compareCodePoints } from '../../util/sort.ts';
import { toJsonText } from '../../fs/atomic-write.ts';
import { openWorkspace } from '../../config/workspace.ts';
import { choiceFlag, stringFlag, workspaceFlags } from '../flags.ts';
import type { CliIo } from '../io.ts';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return `${rows.map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')).join('\n')}\n`;
}

async function open(flags: Record<string, unknown>, io: CliIo) {
  return openWorkspace(workspaceFlags(flags, io));
}

export async function detectorsListCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['text', 'json'] as const, 'text');
  const workspace = await open(flags, io);
  const rows = [...workspace.plans.values()]
    .sort((a, b) => compareCodePoints(a.definition.id, b.definition.id))
    .map((plan) => {
      const loaded = workspace.registry.detectors.get(plan.definition.id)!;
      const d = plan.definition;
      return {
        id: d.id,
        gap_type: d.gap_type,
        title: d.title,
        description: d.description,
        scope: d.scope,
        risk: plan.settings.risk ?? d.default.risk,
        blocks_autopilot: plan.settings.blocks_autopilot ?? d.default.blocks_autopilot,
        enabled: plan.enabled,
        builtin: loaded.builtin,
        source: loaded.source,
      };
    });
  if (format === 'json') io.stdout(toJsonText(rows));
  else {
    io.stdout(
      table([
        ['ID', 'GAP TYPE', 'SCOPE', 'RISK', 'BLOCKS', 'ENABLED', 'SOURCE'],
        ...rows.map((r) => [r.id, r.gap_type, r.scope, r.risk, r.blocks_autopilot ? 'yes' : 'no', r.enabled ? 'yes' : 'no', r.source]),
      ]),
    );
  }
  return 0;
}

export async function actionsListCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['text', 'json'] as const, 'text');
  const workspace = await open(flags, io);
  const rows = [...workspace.registry.actions.values()]
    .sort((a, b) => compareCodePoints(a.definition.id, b.definition.id))
    .map(({ definition: a, builtin, source }) => ({
      id: a.id,
      title: a.title,
      description: a.description,
      action_types: [...a.action_types].sort(),
      effects: [...a.effects].sort(),
      builtin,
      source,
    }));
  if (format === 'json') io.stdout(toJsonText(rows));
  else if (rows.length === 0) io.stdout('no action handlers registered\n');
  else {
    io.stdout(
      table([
        ['ID', 'ACTION TYPES', 'EFFECTS', 'SOURCE'],
        ...rows.map((r) => [r.id, r.action_types.join(','), r.effects.join(','), r.source]),
      ]),
    );
  }
  return 0;
}
