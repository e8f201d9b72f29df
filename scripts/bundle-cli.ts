// Bundles the CLI into dist/cli/ with few files to load: a command's start-up is dominated by how
// many ES modules node resolves, links and compiles, not by how many bytes they hold.
//
// Phase 1 is an ordinary esbuild code-split build (entry points: the CLI, every built-in detector
// and action handler, and the modules a supervised run's worker process starts with), written to a
// scratch folder. Split on its own, it leaves ~50 small chunks for one `gaps scan --staged`.
// Phase 2 merges chunks into a few files (GROUPS below: what every command loads, what every scan
// loads, an autopilot session, supervise) and points every other file's imports of those chunks
// at them. Detectors and action handlers stay files of their own, so a command still imports only
// the ones it runs; rarely used commands stay in their own chunks. Measured on a 10k-file
// repository, `gaps scan --staged` went from 2.4× to 1.8× of a bare `node -e 0` (bench/README.md).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { BUNDLED_ENTRY_MODULES } from '../lib/paths.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = join(root, 'dist/cli');
const scratch = join(root, 'dist/.cli-split');
const external = ['tsx', 'deno', 'zx', 'tinyglobby', '@valibot/to-json-schema'];
// Bundled CommonJS dependencies call `require`, almost always for a builtin; createRequire per
// chunk would cost more than those calls.
const banner = "const require = (id) => globalThis.process.getBuiltinModule(id) ?? globalThis.process.getBuiltinModule('node:module').createRequire(import.meta.url)(id);";

/**
 * The merged modules, in load order: what every command loads (the CLI's own static imports), then
 * what every scan loads (the scan command, the text reporter and logger, and the code the built-in
 * detectors share). A group holds the chunks its roots import statically that no earlier group
 * holds; a chunk a group imports must be in it or in an earlier one, or two files would import
 * each other at start.
 */
const GROUPS: { file: string; roots: (entryPoint: string) => boolean }[] = [
  // (a symlinked node_modules shows as its real path: match the end)
  { file: 'chunks/cli.js', roots: (entry) => entry === 'bin/autopack.ts' || ['lib/report/gap-report/text.ts', 'node_modules/consola/dist/basic.mjs'].some((root) => entry.endsWith(root)) },
  { file: 'chunks/scan.js', roots: (entry) => entry === 'lib/cli/commands/gaps-scan.ts' || entry.startsWith('detectors/') },
  // an autopilot session (the command, and a supervised run's worker) plans and executes
  { file: 'chunks/autopilot.js', roots: (entry) => ['lib/cli/commands/autopilot.ts', 'lib/cli/commands/plan-propose.ts', 'lib/autopilot/session.ts', 'lib/supervisor/worker.ts'].includes(entry) },
  { file: 'chunks/supervise.js', roots: (entry) => entry === 'lib/cli/commands/supervise.ts' },
];

/**
 * `import { a, b as c } from "node:fs";` (as esbuild prints an external import) becomes
 * `const { a, b: c } = globalThis.process.getBuiltinModule("node:fs");`: an ES import of a builtin
 * builds a facade copying all its exports, which costs more at start than the builtin itself.
 * (`globalThis.`: a module may bind a `process` of its own.)
 */
function builtinImportsToLookups(text: string, file: string): string {
  const rewritten = text.replace(/^import (?:(\* as [\w$]+|[\w$]+)(?:, )?)?(?:\{([^}]*)\})? from "(node:[\w/]+)";$/gm, (_whole, whole: string | undefined, names: string | undefined, id: string) => {
    const lookup = `globalThis.process.getBuiltinModule(${JSON.stringify(id)})`;
    const lines: string[] = [];
    if (whole !== undefined) lines.push(`const ${whole.replace(/^\* as /, '')} = ${lookup};`);
    if (names !== undefined && names.trim() !== '') lines.push(`const { ${names.trim().replace(/\s+as\s+/g, ': ')} } = ${lookup};`);
    return lines.join(' ');
  });
  if (/^import\b[^\n]*"node:/m.test(rewritten)) throw new Error(`bundle-cli: ${file} still imports a builtin in a form this script does not rewrite`);
  return rewritten;
}

rmSync(scratch, { recursive: true, force: true });
const split = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['bin/autopack.ts', 'detectors/*.ts', 'actions/*.ts', ...BUNDLED_ENTRY_MODULES.map((module) => `${module}.ts`)],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  splitting: true,
  external,
  outbase: '.',
  outdir: scratch,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: banner },
  metafile: true,
  logLevel: 'warning',
});

const outputs = split.metafile.outputs;
const bin = Object.keys(outputs).find((file) => outputs[file]!.entryPoint === 'bin/autopack.ts')!;
const finalPath = (file: string) => join(out, relative(scratch, join(root, file)));
const importPath = (fromFile: string, toFile: string) => {
  const path = relative(dirname(fromFile), toFile);
  return path.startsWith('.') ? path : `./${path}`;
};

/** Chunk file name (names are unique: they carry a content hash) → the merged file that holds it. */
const mergedInto = new Map<string, string>();
const groups = GROUPS.map(({ file, roots }) => {
  const path = join(out, file);
  const chunks = new Set<string>();
  const take = (chunk: string) => {
    if (mergedInto.has(basename(chunk)) || chunks.has(chunk)) return;
    chunks.add(chunk);
    visit(chunk);
  };
  const visit = (chunk: string) => {
    for (const imported of outputs[chunk]!.imports) if (imported.kind === 'import-statement' && !imported.external) take(imported.path);
  };
  for (const [chunk, output] of Object.entries(outputs)) {
    if (output.entryPoint === undefined || !roots(output.entryPoint)) continue;
    // entry points of their own (the CLI, detectors) stay files: only what they import is merged
    if (chunk.includes('/chunks/')) take(chunk);
    else visit(chunk);
  }
  for (const chunk of chunks) mergedInto.set(basename(chunk), path);
  return { path, chunks };
});

/**
 * A dynamic import of a merged chunk must still yield that chunk's exports, not the merged file's
 * (which holds several chunks and drops names two of them export): each merged file also exports
 * every dynamically imported chunk as a namespace object, and such an import reads it.
 */
const namespaceOf = (chunk: string) => `__chunk_${basename(chunk, '.js').replace(/\W/g, '_')}`;
const NAMESPACE_MARK = '#namespace=';
const readNamespaces = (text: string) => text.replace(/import\("([^"#]+)#namespace=(\w+)"\)/g, 'import("$1").then((module) => module.$2)');

rmSync(out, { recursive: true, force: true });
const exported = new Map<string, Set<string>>();
for (const group of groups) {
  const entry = [...group.chunks].flatMap((file) => {
    const path = JSON.stringify(join(root, file));
    return outputs[file]!.entryPoint === undefined ? [`export * from ${path};`] : [`export * from ${path};`, `export * as ${namespaceOf(file)} from ${path};`];
  });
  const merged = await esbuild.build({
    absWorkingDir: root,
    stdin: { contents: entry.join('\n'), resolveDir: root, sourcefile: basename(group.path) },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    outfile: group.path,
    // (each merged chunk brings its own `require`)
    plugins: [
      {
        name: 'merged-imports',
        setup(build) {
          // Imports between this group's chunks are merged; any other import names its file.
          build.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point' || args.path.startsWith('/')) return undefined;
            if (!args.path.startsWith('.')) return { path: args.path, external: true };
            const chunk = relative(root, join(args.resolveDir, args.path));
            const into = mergedInto.get(basename(chunk));
            if (into === group.path) return undefined;
            const path = importPath(group.path, into ?? finalPath(chunk));
            return { path: into !== undefined && args.kind === 'dynamic-import' ? `${path}${NAMESPACE_MARK}${namespaceOf(chunk)}` : path, external: true };
          });
        },
      },
    ],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(dirname(group.path), { recursive: true });
  for (const file of merged.outputFiles) writeFileSync(file.path, builtinImportsToLookups(readNamespaces(file.text), file.path));
  exported.set(group.path, new Set(Object.values(merged.metafile.outputs).flatMap((output) => output.exports)));
}

// Every other file keeps its code; its imports of merged chunks now name the merged file, which
// must export each name they use (`export *` drops a name two chunks export with different
// meanings; esbuild checks the merged files' imports of each other itself).
const missing: string[] = [];
for (const file of Object.keys(outputs)) {
  if (mergedInto.has(basename(file))) continue;
  const target = finalPath(file);
  const source = readFileSync(join(root, file), 'utf8');
  for (const [, names, specifier] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    const into = mergedInto.get(basename(specifier!));
    if (into === undefined) continue;
    for (const name of names!.split(',').map((part) => part.trim().split(/\s+as\s+/)[0]!)) if (name !== '' && !exported.get(into)!.has(name)) missing.push(`${file}: ${name} of ${basename(specifier!)}`);
  }
  const text = source
    .replace(/import\("((?:\.\.?\/)+(?:chunks\/)?([A-Za-z0-9-]+\.js))"\)/g, (whole, _specifier: string, name: string) => {
      const into = mergedInto.get(name);
      return into === undefined ? whole : `import("${importPath(target, into)}${NAMESPACE_MARK}${namespaceOf(name)}")`;
    })
    .replace(/(["'])((?:\.\.?\/)+(?:chunks\/)?)([A-Za-z0-9-]+\.js)\1/g, (whole, quote: string, _prefix: string, name: string) => {
      const into = mergedInto.get(name);
      return into === undefined ? whole : `${quote}${importPath(target, into)}${quote}`;
    });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, builtinImportsToLookups(readNamespaces(text), file), { mode: file === bin ? 0o755 : 0o644 });
}
rmSync(scratch, { recursive: true, force: true });
if (missing.length > 0) throw new Error(`bundle-cli: a merged file does not export what these files import from it:\n${missing.join('\n')}`);
