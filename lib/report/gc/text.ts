import { relative } from 'node:path';
import type { GcItem } from '../../supervisor/gc.ts';
import type { Reporter } from '../types.ts';

function itemState(item: GcItem): string {
  if (item.removed) return 'removed';
  if (item.work) return 'holds work';
  if (item.foreign) return 'left alone';
  return item.stale ? 'stale' : 'in use';
}

const render: Reporter<GcItem[]> = (items, context) => {
  if (items.length === 0) return 'nothing to clean\n';
  return `${items.map((item) => `${item.kind.padEnd(16)} ${itemState(item)}  ${relative(context.cwd, item.path) || item.path}  ${item.stale ?? item.holder ?? item.work ?? item.foreign ?? ''}`).join('\n')}\n`;
};
export default render;
