import { readInputFile, type InputFileOptions } from './guarded-read.ts';

/**
 * Reads a JSON or YAML file (by extension: `.json` is strict JSON, anything else YAML) and
 * returns its data. Every failure is an AutopackError (exit 2) naming the file: missing, a
 * folder, a FIFO or device, too large, a symlink out of the workspace (with `root`),
 * unreadable, not UTF-8, NUL bytes, malformed (line and column), duplicate keys, unknown YAML
 * tags, alias bombs. The parser (`parseStructuredText` in parse-structured.ts, for bytes
 * already read) is imported on first use, so commands that read no input never load yaml.
 */
export async function readStructuredFile(path: string, display = path, options: InputFileOptions = {}): Promise<unknown> {
  const bytes = await readInputFile(path, display, options);
  const { parseStructuredText } = await import('./parse-structured.ts');
  return parseStructuredText(bytes, display, { json: /\.json$/i.test(path) });
}
