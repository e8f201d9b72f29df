import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AutopackError } from '../util/errors.ts';
import { findPluginPackage, type PluginPackage } from './plugin-package.ts';

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
const TYPESCRIPT = /\.(c|m)?tsx?$/;
const SCRIPT = /\.(c|m)?(t|j)sx?$/;

/**
 * A plugin specifier is a path when it starts with `.` or `/`, or names a file that exists
 * (`tools/todo.ts`); anything else is a package (`pkg`, `@scope/pkg`, `pkg/sub.mjs`).
 */
export function isPathSpecifier(specifier: string, baseDir: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || (SCRIPT.test(specifier) && existsSync(resolve(baseDir, specifier)));
}

async function importFile(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  if (isDeno || !TYPESCRIPT.test(file)) return import(url);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
}

/** A package from the workspace's node_modules, resolved as Node resolves it from the workspace (its `exports` honoured). */
async function importPackage(specifier: string, found: PluginPackage, workspaceRoot: string): Promise<unknown> {
  const parent = join(workspaceRoot, 'package.json');
  // Resolution starts at the workspace, whose node_modules has the package: no folder above is consulted.
  if (isDeno) return import(pathToFileURL(createRequire(parent).resolve(specifier)).href);
  const { tsImport } = await import('tsx/esm/api');
  try {
    return await tsImport(specifier, pathToFileURL(parent).href);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = String((error as Error).message);
    // Only the plugin itself: a dependency the plugin imports and lacks is its own error, reported as such.
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || (code === 'ERR_MODULE_NOT_FOUND' && message.includes(`'${specifier}'`))) {
      throw new AutopackError(`plugin '${specifier}': ${found.name} is installed in ${found.dir} but does not provide it: ${message.split('\n')[0]}`);
    }
    throw error;
  }
}

/**
 * Imports a plugin module: paths relative to `baseDir` (the config's folder), packages from the
 * workspace's own node_modules. TypeScript loads through tsx on Node and natively on Deno.
 * `package` says where a package's code really lies.
 */
export async function importPluginModule(specifier: string, baseDir: string, workspaceRoot: string): Promise<{ module: unknown; file: string; package?: PluginPackage }> {
  if (isPathSpecifier(specifier, baseDir)) {
    const file = resolve(baseDir, specifier);
    if (!existsSync(file)) throw new AutopackError(`Plugin file not found: ${specifier} (resolved to ${file})`);
    return { module: await importFile(file), file };
  }
  let found: PluginPackage;
  try {
    found = findPluginPackage(specifier, workspaceRoot);
  } catch (error) {
    // `tools/x.ts` without ./ reads as a file meant, and missing.
    if (SCRIPT.test(specifier) && error instanceof AutopackError) throw new AutopackError(`Plugin file not found: ${specifier} (resolved to ${resolve(baseDir, specifier)}); as a package: ${error.message}`);
    throw error;
  }
  return { module: await importPackage(specifier, found, workspaceRoot), file: found.realDir, package: found };
}
