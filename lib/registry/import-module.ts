import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { relativeInside } from '../fs/run-layout.ts';
import { AutopackError, errorMessage } from '../util/errors.ts';
import { isDeno } from '../util/runtime.ts';
import { findPluginPackage, type PluginPackage } from './plugin-package.ts';

const TYPESCRIPT = /\.(c|m)?tsx?$/;
const SCRIPT = /\.(c|m)?(t|j)sx?$/;

/**
 * A plugin specifier is a path when it starts with `.` or `/`, or names a file that exists
 * (`tools/todo.ts`); anything else is a package (`pkg`, `@scope/pkg`, `pkg/sub.mjs`).
 */
export function isPathSpecifier(specifier: string, baseDir: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || (SCRIPT.test(specifier) && existsSync(resolve(baseDir, specifier)));
}

/**
 * Whether Node strips TypeScript types itself: by default from Node 22.18 and 23.6, with
 * `--experimental-strip-types` since 22.6; `false` when turned off, absent before.
 */
export function nodeStripsTypes(): boolean {
  return !isDeno && Boolean((process.features as { typescript?: string | false }).typescript);
}

type TsImport = (specifier: string, parentURL: string) => Promise<unknown>;
let tsxApi: Promise<TsImport | undefined> | undefined;

/**
 * tsx's `tsImport`, when tsx can be imported: it is an optional peer dependency, there only
 * where the project (or autopack's own development) installed it. A tsx that is there but
 * broken is an error, not a silent fallback.
 */
function loadTsx(): Promise<TsImport | undefined> {
  tsxApi ??= import('tsx/esm/api').then(
    (api) => api.tsImport as TsImport,
    (error: unknown) => {
      const code = (error as { code?: string }).code;
      if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /'tsx(\/esm\/api)?'/.test(errorMessage(error))) return undefined;
      throw error;
    },
  );
  return tsxApi;
}

/**
 * What Node's type stripping refuses and tsx loads: syntax that is not erasable (enums,
 * namespaces, parameter properties) and TypeScript inside node_modules; and, when tsx is there,
 * the imports TypeScript projects write without an extension or to a folder. Linking fails
 * before any of the module's code runs, so loading it again through tsx runs nothing twice.
 */
const NOT_STRIPPABLE = new Set(['ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING']);
const NOT_RESOLVED = new Set(['ERR_MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_DIR_IMPORT']);

function noTypeScriptLoader(specifier: string, file: string): AutopackError {
  if (file.endsWith('.tsx')) {
    return new AutopackError(`${specifier}: a .tsx plugin loads only through tsx, which is not installed`, {
      hint: 'install tsx as a devDependency of the project (npm i -D tsx), or write the plugin as .ts or .mjs',
    });
  }
  // `false`: this Node can strip types, but was told not to (--no-experimental-strip-types).
  const turnedOff = !isDeno && (process.features as { typescript?: string | false }).typescript === false;
  return new AutopackError(`${specifier}: a TypeScript plugin, and Node ${process.version} cannot load TypeScript by itself`, {
    extraLines: [
      turnedOff
        ? '  Its type stripping is turned off (--no-experimental-strip-types), and tsx, which autopack does not install for you, is not there.'
        : '  Node 22.18 and later strip types themselves; older versions need tsx, which autopack does not install for you.',
    ],
    hint: `install tsx as a devDependency of the project (npm i -D tsx), or ${turnedOff ? 'turn type stripping back on' : 'run Node 22.18 or later'}, or write the plugin as .mjs`,
  });
}

/**
 * A TypeScript plugin file: Node's own type stripping where this Node has it (fast, nothing to
 * install), tsx for what stripping cannot load or where Node has none, else an error that says
 * how to go on.
 */
async function importTypeScript(file: string, specifier: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  if (nodeStripsTypes() && !file.endsWith('.tsx')) {
    try {
      return await import(url);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!NOT_STRIPPABLE.has(code) && !NOT_RESOLVED.has(code)) throw error;
      const tsImport = await loadTsx();
      // A missing import stays what it is (its own message names it); only tsx could resolve it differently.
      if (!tsImport && NOT_RESOLVED.has(code)) throw error;
      if (!tsImport) {
        throw new AutopackError(`${specifier}: Node's type stripping cannot load it: ${errorMessage(error).split('\n')[0]}`, {
          hint: 'install tsx as a devDependency of the project (npm i -D tsx), which loads all of TypeScript, or keep the plugin to erasable syntax with explicit .ts extensions',
          cause: error,
        });
      }
      return tsImport(url, import.meta.url);
    }
  }
  const tsImport = await loadTsx();
  if (!tsImport) throw noTypeScriptLoader(specifier, file);
  return tsImport(url, import.meta.url);
}

/** A plugin file: TypeScript natively on Deno, through importTypeScript on Node; JavaScript as it is. */
async function importFile(file: string, specifier: string): Promise<unknown> {
  if (isDeno || !TYPESCRIPT.test(file)) return import(pathToFileURL(file).href);
  return importTypeScript(file, specifier);
}

/**
 * A package from the workspace's node_modules, resolved as Node resolves it from the workspace
 * (its `exports` honoured): as ESM through tsx when tsx is there (it also loads packages that
 * ship TypeScript), else as require() resolves it.
 */
async function importPackage(specifier: string, found: PluginPackage, workspaceRoot: string): Promise<unknown> {
  const parent = join(workspaceRoot, 'package.json');
  // Resolution starts at the workspace, whose node_modules has the package: no folder above is consulted.
  const tsImport = isDeno ? undefined : await loadTsx();
  if (tsImport) {
    try {
      return await tsImport(specifier, pathToFileURL(parent).href);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const message = errorMessage(error);
      // Only the plugin itself: a dependency the plugin imports and lacks is its own error, reported as such.
      if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || (code === 'ERR_MODULE_NOT_FOUND' && message.includes(`'${specifier}'`))) {
        throw new AutopackError(`plugin '${specifier}': ${found.name} is installed in ${found.dir} but does not provide it: ${message.split('\n')[0]}`);
      }
      throw error;
    }
  }
  let file: string;
  try {
    file = createRequire(parent).resolve(specifier);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new AutopackError(`${specifier}: its package.json exports it for import only, which autopack resolves only through tsx`, {
        hint: 'install tsx as a devDependency of the project (npm i -D tsx), or list the plugin by its file path (./node_modules/…)',
      });
    }
    throw new AutopackError(`plugin '${specifier}': ${found.name} is installed in ${found.dir} but does not provide it: ${errorMessage(error).split('\n')[0]}`);
  }
  return isDeno ? import(pathToFileURL(file).href) : importFile(file, specifier);
}

/**
 * Imports a plugin module: paths relative to `baseDir` (the config's folder), packages from the
 * workspace's own node_modules. TypeScript loads natively on Deno; on Node through Node's own
 * type stripping where it has it, else through tsx when tsx is installed. `package` says where a
 * package's code really lies.
 */
export async function importPluginModule(specifier: string, baseDir: string, workspaceRoot: string, confineTo?: string): Promise<{ module: unknown; file: string; package?: PluginPackage }> {
  if (isPathSpecifier(specifier, baseDir)) {
    const file = resolve(baseDir, specifier);
    if (!existsSync(file)) throw new AutopackError(`Plugin file not found: ${specifier} (resolved to ${file})`);
    // A repository's config runs the repository's code, not whatever file its paths (or links) lead to elsewhere on this machine.
    if (confineTo !== undefined && relativeInside(realpathSync(confineTo), realpathSync(file)) === undefined) {
      throw new AutopackError(`${specifier}: the plugin file ${realpathSync(file)} lies outside the repository ${confineTo}`, {
        hint: "a repository's config loads plugin files only from inside the repository; to load one from elsewhere, name it in a config passed with --config",
      });
    }
    return { module: await importFile(file, specifier), file };
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
