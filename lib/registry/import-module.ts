import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AutopackError } from '../util/errors.ts';

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
const TYPESCRIPT = /\.(c|m)?tsx?$/;

/** A plugin specifier is a path when it starts with `.` or `/` or names a file. */
export function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || /\.(c|m)?(t|j)sx?$/.test(specifier);
}

/**
 * Imports a plugin module: paths relative to `baseDir`, packages resolved from `baseDir`.
 * TypeScript loads through tsx on Node and natively on Deno.
 */
export async function importPluginModule(specifier: string, baseDir: string): Promise<{ module: unknown; file: string }> {
  if (isPathSpecifier(specifier)) {
    const file = resolve(baseDir, specifier);
    if (!existsSync(file)) throw new AutopackError(`Plugin file not found: ${specifier} (resolved to ${file})`);
    const url = pathToFileURL(file).href;
    if (isDeno || !TYPESCRIPT.test(file)) return { module: await import(url), file };
    const { tsImport } = await import('tsx/esm/api');
    return { module: await tsImport(url, import.meta.url), file };
  }
  const parent = join(baseDir, 'package.json');
  if (isDeno) {
    let file: string;
    try {
      file = createRequire(parent).resolve(specifier);
    } catch {
      throw new AutopackError(`Plugin package not found: ${specifier} (looked in ${baseDir}/node_modules and above)`);
    }
    return { module: await import(pathToFileURL(file).href), file };
  }
  const { tsImport } = await import('tsx/esm/api');
  try {
    return { module: await tsImport(specifier, pathToFileURL(parent).href), file: specifier };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${specifier}'`)) {
      throw new AutopackError(`Plugin package not found: ${specifier} (looked in ${baseDir}/node_modules and above)`);
    }
    throw error;
  }
}
