/** Markdown files that belong at a repository root; shared by root_clutter and sot_duplicate. */
export const DEFAULT_ROOT_ALLOW = [
  'AGENTS.md',
  'CHANGELOG.md',
  'CLAUDE.md',
  'CODE_OF_CONDUCT.md',
  'CONTRIBUTING.md',
  'LICENSE.md',
  'README.md',
  'SECURITY.md',
] as const;

/** Extensions of files that are text by convention (checked for encoding). */
export const TEXT_EXTENSIONS = [
  'bat', 'c', 'cc', 'cfg', 'cjs', 'cmd', 'conf', 'cpp', 'cs', 'css', 'csv', 'cts', 'dart', 'env', 'go', 'gradle', 'h', 'hpp',
  'htm', 'html', 'ini', 'java', 'js', 'json', 'jsonc', 'jsx', 'kt', 'less', 'lua', 'md', 'mdx', 'mjs', 'mts', 'php', 'pl',
  'properties', 'ps1', 'py', 'pyi', 'r', 'rb', 'rs', 'rst', 'sass', 'scala', 'scss', 'sh', 'sql', 'svelte', 'swift', 'tex',
  'toml', 'ts', 'tsx', 'txt', 'vue', 'xml', 'yaml', 'yml', 'zsh',
] as const;

/** True when the bytes look like text: no NUL byte in the first 8000 (git's heuristic). */
export function looksLikeText(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return false;
  return true;
}

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}
