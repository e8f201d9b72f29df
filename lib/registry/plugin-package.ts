// Where a plugin named by package (`autopack-plugin-foo`, `@scope/pkg`, `pkg/subpath`) comes
// from: the workspace's own node_modules, never a folder above it and never autopack's own
// dependencies, so that what a scan loads depends on the workspace alone.
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { relativeInside } from '../fs/run-layout.ts';
import { AutopackError } from '../util/errors.ts';

// npm's rules for a name, loosely: an optional @scope/, then no leading dot or underscore, no spaces.
const PACKAGE_SPECIFIER = /^((?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*)(\/.+)?$/i;

/** `@scope/pkg/sub` → `@scope/pkg`; undefined when the specifier is no package name at all. */
export function packageNameOf(specifier: string): string | undefined {
  return PACKAGE_SPECIFIER.exec(specifier)?.[1];
}

export interface PluginPackage {
  name: string;
  /** `<workspace>/node_modules/<name>`. */
  dir: string;
  /** Its real path: where the code comes from (another place when node_modules holds a symlink). */
  realDir: string;
  /** Whether the real path lies outside the workspace (a linked package: `npm link`, a store elsewhere). */
  outside: boolean;
}

/**
 * Finds a plugin package in `<workspaceRoot>/node_modules`. Missing there is an error that says
 * how to install it, even when some folder above has it: a scan must not depend on where the
 * workspace happens to lie. A package linked from outside the workspace is the workspace
 * owner's choice (config plugins are the repository's code either way); its real path is
 * returned so that the scan can say where the code came from.
 */
export function findPluginPackage(specifier: string, workspaceRoot: string): PluginPackage {
  const name = packageNameOf(specifier);
  if (!name) throw new AutopackError(`plugin '${specifier}' is neither a path (./file.mjs) nor a package name`);
  const dir = join(workspaceRoot, 'node_modules', ...name.split('/'));
  if (!existsSync(join(dir, 'package.json'))) {
    throw new AutopackError(`plugin '${specifier}' is not installed in ${join(workspaceRoot, 'node_modules')}: npm i -D ${name}`, {
      hint: 'packages load from the workspace\'s own node_modules; a file plugin is a path starting with ./',
    });
  }
  const realDir = realpathSync(dir);
  return { name, dir, realDir, outside: relativeInside(realpathSync(workspaceRoot), realDir) === undefined };
}
