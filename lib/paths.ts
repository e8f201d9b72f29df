import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The package root, whether running from source (lib/paths.ts) or compiled
 * (dist/lib/paths.js): shipped files such as docs/schemas and config/ live there.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/lib/') ? '../../' : '../', import.meta.url));

let version: string | undefined;

/** autopack's own version, from its package.json. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('package.json', `file://${PACKAGE_ROOT}`), 'utf8')) as { version: string }).version;
  return version;
}
