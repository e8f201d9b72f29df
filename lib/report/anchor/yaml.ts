import { stringify } from 'yaml';
import type { IntentionAnchorV2 } from '../../contracts/anchor.ts';
import type { Reporter } from '../types.ts';

const render: Reporter<IntentionAnchorV2> = (anchor) => stringify(anchor);
export default render;
