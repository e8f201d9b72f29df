import { fileNameForId } from '../registry/load.ts';

/**
 * Where autopack's documentation is published: the same host its JSON Schemas are named
 * under (`$id`). The repository's docs/ folder is laid out the same way below this base, so
 * moving the project means changing this one constant.
 */
export const DOCS_BASE_URL = 'https://autopack.dev/docs/';

/** autopack's home page: SARIF's `tool.driver.informationUri`. */
export const HOMEPAGE_URL = 'https://autopack.dev/';

/** The page of a built-in detector: docs/detectors/<id with - for _>.md. */
export function detectorDocsUrl(id: string): string {
  return `${DOCS_BASE_URL}detectors/${fileNameForId(id)}.md`;
}
