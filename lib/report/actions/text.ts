import type { ActionRow } from '../../registry/describe.ts';
import { table } from '../table.ts';
import type { Reporter } from '../types.ts';

const render: Reporter<ActionRow[]> = (rows) =>
  rows.length === 0
    ? 'no action handlers registered\n'
    : table([['ID', 'ACTION TYPES', 'EFFECTS', 'SOURCE'], ...rows.map((r) => [r.id, r.action_types.join(','), r.effects.join(','), r.source])]);
export default render;
