import { relative } from 'node:path';
import type { GcItem } from '../../supervisor/gc.ts';
import type { Reporter } from '../types.ts';

const render: Reporter<GcItem[]> = (items, context) => {
  if (items.length === 0) return 'nothing to clean\n';
  return `${items.map((item) => `${item.kind.padEnd(16)} ${item.removed ? 'removed' : item.stale ? 'stale' : 'in use'}  ${relative(context.cwd, item.path) || item.path}  ${item.stale ?? item.holder ?? ''}`).join('\n')}\n`;
};
export default render;
