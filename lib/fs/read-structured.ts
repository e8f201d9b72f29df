import { readFile, stat } from 'node:fs/promises';
import { AutopackError, errorMessage } from '../util/errors.ts';

/**
 * Reads a JSON or YAML file (by extension; `.json` is strict JSON) and returns its data.
 * Every failure is an AutopackError naming the file: missing, a folder, unreadable,
 * malformed (with line and column).
 */
export async function readStructuredFile(path: string, display = path): Promise<unknown> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new AutopackError(`Cannot read ${display}: it is a directory, not a file`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof AutopackError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AutopackError(`File not found: ${display}`);
    if (code === 'EACCES' || code === 'EPERM') throw new AutopackError(`Cannot read ${display}: permission denied`);
    throw new AutopackError(`Cannot read ${display}: ${errorMessage(error)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/\.json$/i.test(path)) return parseJson(text, display);
  return parseYaml(text, display);
}

function parseJson(text: string, display: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AutopackError(`${display}: invalid JSON: ${errorMessage(error)}`);
  }
}

async function parseYaml(text: string, display: string): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const where = first.linePos?.[0] ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})` : '';
    throw new AutopackError(`${display}: invalid YAML${where}: ${first.message.split('\n')[0]}`);
  }
  return document.toJS() ?? {};
}
