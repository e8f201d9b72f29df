import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** Whether this code runs compiled (`dist/`: tsc's library, or the bundled CLI) rather than from the .ts sources. */
export const RUNS_COMPILED = !here.endsWith('.ts');
const distAt = here.lastIndexOf('/dist/');

/**
 * The package root, however this code runs: from source (lib/paths.ts), compiled (dist/lib/paths.js)
 * or bundled into the CLI (dist/cli/…): shipped files such as docs/schemas and config/ live there.
 */
export const PACKAGE_ROOT = RUNS_COMPILED ? `${here.slice(0, distAt)}/` : fileURLToPath(new URL('../', import.meta.url));

/** Whether this code runs bundled into the CLI (dist/cli/), rather than as tsc's library. */
const RUNS_BUNDLED = here.includes('/dist/cli/');

/**
 * Modules another process or thread starts with that the CLI bundle also carries as entry points
 * of their own (dist/cli/lib/…): a forked supervisor worker loads a handful of bundled files
 * instead of the library's hundred modules.
 */
export const BUNDLED_ENTRY_MODULES = ['lib/supervisor/worker', 'lib/supervisor/worker-watchdog'] as const;

/** A module of the package as it runs here: `lib/supervisor/worker` → dist/cli/lib/supervisor/worker.js (bundled), dist/lib/supervisor/worker.js, or the .ts source. */
export function packageModule(path: string): string {
  if (!RUNS_COMPILED) return join(PACKAGE_ROOT, `${path}.ts`);
  const bundled = RUNS_BUNDLED && (BUNDLED_ENTRY_MODULES as readonly string[]).includes(path);
  return join(PACKAGE_ROOT, bundled ? 'dist/cli' : 'dist', `${path}.js`);
}

let version: string | undefined;

/** autopack's own version, from its package.json. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/** The CLI's entry as it runs here: the bundle `dist/cli/bin/autopack.js`, or bin/autopack.ts from the sources. */
export function cliEntry(): string {
  return RUNS_COMPILED ? join(PACKAGE_ROOT, 'dist/cli/bin/autopack.js') : join(PACKAGE_ROOT, 'bin/autopack.ts');
}
