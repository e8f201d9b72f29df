import { openWorkspace } from '../../config/workspace.ts';
import { checkProductionConfigs, REMEDIATION } from '../../enforcement/production-config.ts';
import { listWorkspaceFiles } from '../../gaps/file-list.ts';
import { workingTreeSource } from '../../gaps/file-pass.ts';
import type { ProductionConfigResult } from '../../report/production-config/text.ts';
import type { Flags } from '../commands.ts';
import { str } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

export async function checkProductionConfigCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  // The workspace's config applies: its runs dir and `exclude` globs (test fixtures, say).
  const workspace = await openWorkspace({ workspace: str(flags, 'repoRoot'), cwd: io.cwd, env: io.env });
  const root = workspace.root;
  const { files } = await listWorkspaceFiles({ root, git: workspace.git, repo: workspace.repo, runsDir: workspace.runsDir, exclude: workspace.config.config.exclude ?? [] });
  const source = workingTreeSource(root);
  const result = await checkProductionConfigs(files, async (path) => {
    const read = source.read(path, () => 'all');
    if (!read?.bytes) logger.warn(`cannot read ${path}`);
    return read?.bytes ? new TextDecoder().decode(read.bytes) : undefined;
  });
  const output: ProductionConfigResult = { repo_root: root, checked_files: result.files, violations: result.violations, ...(result.violations.length ? { remediation: REMEDIATION } : {}) };
  await emit(io, 'production-config', flags.format, output);
  if (result.violations.length === 0) {
    logger.success(`No DEBUG enablement found in production configs (${result.files.length} checked)`);
    return 0;
  }
  logger.error(`${result.violations.length} DEBUG enablement(s) in production configs`);
  return 1;
}
