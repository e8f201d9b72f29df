import { lstatIfExists } from '../fs/lstat.ts';
import { basename, join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AutopackConfig } from '../contracts/config.ts';
import { createFileAtomic } from '../fs/atomic-write.ts';
import { sanitizeProjectId } from '../fs/run-layout.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { AutopackError, assertContract } from '../util/errors.ts';
import { CONFIG_FILE_NAMES } from './load-config.ts';

export const STARTER_FORMATS = ['yaml', 'json'] as const;
export type StarterFormat = (typeof STARTER_FORMATS)[number];

/** Where a project that installs autopack (as a devDependency) has the config's JSON Schema. */
export const INSTALLED_SCHEMA_PATH = './node_modules/autopack/docs/schemas/config.schema.json';

export interface StarterConfig {
  /** Absolute path of the file to create. */
  path: string;
  /** Its name at the workspace root (`autopack.config.yaml`). */
  name: string;
  content: string;
}

/** The config file already at the workspace root, if any (a dangling symlink counts: loading would refuse it). */
export function existingConfigFile(root: string): string | undefined {
  return CONFIG_FILE_NAMES.find((name) => lstatIfExists(join(root, name)) !== undefined);
}

/**
 * The `$schema` reference, relative to the config file. When the autopack that runs lies inside
 * the workspace (its node_modules, hoisted to the repository root or not, or a clone of autopack
 * itself), the path to its own schema; otherwise (a one-shot from npx's cache) the path where the
 * devDependency will put it. Never an absolute path: the file is meant to be committed.
 */
export function schemaReference(root: string, packageRoot = PACKAGE_ROOT): string {
  const rel = relative(root, join(packageRoot, 'docs', 'schemas', 'config.schema.json'));
  if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('_npx')) return INSTALLED_SCHEMA_PATH;
  return `./${rel.split(sep).join('/')}`;
}

function yamlStarter(schema: string, projectId: string): string {
  return [
    `# yaml-language-server: $schema=${schema}`,
    "# autopack's configuration. Every key is optional, and an unknown key is an error.",
    '# Check it with: npx autopack validate autopack.config.yaml',
    '# Every key is described in docs/CONFIG.md of autopack, and in `npx autopack schema config`.',
    '',
    '# The project id of reports and run directories (default: the folder name).',
    `# project_id: ${projectId}`,
    '',
    '# `gaps scan` exits 1 when a gap reaches this level: blocker (a gap that blocks',
    '# autopilot), critical, high, medium, low, or never.',
    'fail_on: blocker',
    '',
    '# Paths whose uncommitted changes are a protected_path_violation, on top of the',
    '# built-in ones (docs/, config/, .github/). A plain path matches whole segments',
    '# (infra/ matches infra/main.tf); a glob without / matches a file name at any depth.',
    'protected_paths: []   # for example: [infra/, "*.tf"]',
    '',
    '# Globs no detector looks at, on top of the built-in excludes (node_modules, dist,',
    '# build, .venv and the runs dir, among others).',
    'exclude: []   # for example: ["tests/fixtures/**"]',
    '',
    '# Per-detector settings: enabled, risk, blocks_autopilot, options',
    '# (`npx autopack detectors list`; each detector has a page in docs/detectors/).',
    '# detectors:',
    '#   root_clutter: { options: { allow: [README.md, CHANGELOG.md, AGENTS.md] } }',
    '#   test_infra_drift: { enabled: false }',
    '',
    '# Mechanical documentation checks, each a command given as argv (never a shell',
    '# string): a failing one is a doc_drift gap. Without this key autopack runs the',
    '# checks it finds (a docs:check script in package.json, for example).',
    '# checks:',
    '#   doc_drift:',
    '#     - { id: docs_check, run: [npm, run, docs:check], timeout_s: 120 }',
    '',
  ].join('\n');
}

function jsonStarter(schema: string): string {
  // JSON has no comments: the keys a new project is most likely to edit, at their defaults.
  return `${JSON.stringify({ $schema: schema, fail_on: 'blocker', protected_paths: [], exclude: [] }, null, 2)}\n`;
}

/**
 * A starter config for the workspace at `root`: its defaults written out, with the schema
 * reference that editors read. Refuses (exit 2) when the workspace has a config already, of any
 * of the names autopack reads: a second one would be ignored, or would shadow the first.
 */
export function planStarterConfig(options: { root: string; format: StarterFormat; packageRoot?: string }): StarterConfig {
  const existing = existingConfigFile(options.root);
  if (existing) {
    throw new AutopackError(`${existing} already exists in ${options.root}: autopack init never replaces a config`, {
      hint: `edit it, and check it with \`autopack validate ${existing}\``,
    });
  }
  const schema = schemaReference(options.root, options.packageRoot);
  const name = options.format === 'json' ? 'autopack.config.json' : 'autopack.config.yaml';
  const content = options.format === 'json' ? jsonStarter(schema) : yamlStarter(schema, sanitizeProjectId(basename(options.root)));
  // What init prints must load: a starter that fails `autopack validate` would be a bug.
  assertContract(AutopackConfig, options.format === 'json' ? JSON.parse(content) : parseYaml(content), 'the starter config');
  return { path: join(options.root, name), name, content };
}

/** Creates the starter config; a file that appeared since the plan is left alone (exit 2). */
export async function writeStarterConfig(plan: StarterConfig): Promise<void> {
  try {
    await createFileAtomic(plan.path, plan.content);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new AutopackError(`${plan.name} already exists: autopack init never replaces a config`);
    throw error;
  }
}
