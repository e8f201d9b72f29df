import type { ModelCatalogEntry } from '../../contracts/models.ts';
import type { Reporter } from '../types.ts';
import { modelRow } from '../model-row.ts';

/** `autopack models list`: the catalog and where it came from. */
export interface ModelListing {
  source: 'config' | 'seed';
  files: { models: string; pricing: string };
  entries: ModelCatalogEntry[];
}

const render: Reporter<ModelListing> = (listing) => `${listing.entries.map(modelRow).join('\n')}\n`;
export default render;
