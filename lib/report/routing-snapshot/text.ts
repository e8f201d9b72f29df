import type { RoutingSnapshotV1 } from '../../contracts/models.ts';
import { modelRow } from '../model-row.ts';
import type { Reporter } from '../types.ts';

const render: Reporter<RoutingSnapshotV1> = (snapshot) =>
  `${snapshot.entries.map(modelRow).join('\n')}\n${snapshot.snapshot_id} (${snapshot.source}, ${snapshot.profile}), expires ${snapshot.expires_at}\n`;
export default render;
