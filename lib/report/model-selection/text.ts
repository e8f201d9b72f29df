import type { ModelCatalogEntry } from '../../contracts/models.ts';
import type { Reporter } from '../types.ts';

/** `autopack models select`: the model routed to a tier, with the catalog's source and the profile. */
export type ModelSelection = ModelCatalogEntry & { source: 'config' | 'seed'; profile: 'normal' | 'strict' };

const render: Reporter<ModelSelection> = (selection) => `${selection.model_id}\n`;
export default render;
