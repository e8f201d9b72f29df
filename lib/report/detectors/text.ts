import type { DetectorRow } from '../../registry/describe.ts';
import { table } from '../table.ts';
import type { Reporter } from '../types.ts';

const render: Reporter<DetectorRow[]> = (rows) =>
  table([
    ['ID', 'GAP TYPE', 'SCOPE', 'RISK', 'BLOCKS', 'ENABLED', 'SOURCE'],
    ...rows.map((r) => [r.id, r.gap_type, r.scope, r.risk, r.blocks_autopilot ? 'yes' : 'no', r.enabled ? 'yes' : 'no', r.source]),
  ]);
export default render;
