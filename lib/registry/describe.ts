import type { Workspace } from '../config/workspace.ts';
import { compareCodePoints } from '../util/sort.ts';

/** A detector as `autopack detectors list` shows it: its declaration with this workspace's settings. */
export interface DetectorRow {
  id: string;
  gap_type: string;
  title: string;
  description: string;
  scope: 'repo' | 'files';
  risk: string;
  blocks_autopilot: boolean;
  enabled: boolean;
  builtin: boolean;
  source: string;
}

export interface ActionRow {
  id: string;
  title: string;
  description: string;
  action_types: string[];
  effects: string[];
  builtin: boolean;
  source: string;
}

/** Every registered detector (imported: this is a listing), in id order. */
export async function describeDetectors(workspace: Workspace): Promise<DetectorRow[]> {
  const ids = [...workspace.registry.detectors.keys()].sort(compareCodePoints);
  return Promise.all(
    ids.map(async (id) => {
      const entry = workspace.registry.detectors.get(id)!;
      const plan = await workspace.plans.get(id);
      const d = plan.detector;
      return {
        id: d.id,
        gap_type: d.gap_type,
        title: d.title,
        description: d.description,
        scope: d.scope,
        risk: plan.settings.risk ?? d.default.risk,
        blocks_autopilot: plan.settings.blocks_autopilot ?? d.default.blocks_autopilot,
        enabled: plan.enabled,
        builtin: entry.builtin,
        source: entry.source,
      };
    }),
  );
}

/** Every registered action handler, from its declaration (no module is imported), in id order. */
export function describeActions(workspace: Workspace): ActionRow[] {
  return [...workspace.registry.actions.values()]
    .sort((a, b) => compareCodePoints(a.id, b.id))
    .map((a) => ({
      id: a.id,
      title: a.title,
      description: a.description,
      action_types: [...a.action_types].sort(),
      effects: [...a.effects].sort(),
      builtin: a.builtin,
      source: a.source,
    }));
}
