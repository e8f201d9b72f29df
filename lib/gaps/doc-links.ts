// Links in documentation, read from the text alone: what a page links to, and what anchors it
// offers. Whether a link resolves is decided against the scan's file list (see checkLinks).
import { posix } from 'node:path';

export interface DocLink {
  line: number;
  target: string;
}

/** What one page says: its relative links and the anchors (heading slugs, explicit ids) it has. */
export interface PageLinks {
  links: DocLink[];
  anchors: string[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const MD_INLINE = /!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g;
const MD_REFERENCE = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;
const RST_DIRECTIVE = /^\s*\.\. (?:image|figure|include|literalinclude)::\s*(\S+)/;
const HTML_ID = /\b(?:id|name)\s*=\s*["']([^"']+)["']/g;
const EXPLICIT_ID = /\{#([\w-]+)\}\s*$/;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

/**
 * The anchors a heading gets from the common generators: GitHub's (lower case, punctuation
 * dropped, spaces to dashes: `server.host` → `serverhost`) and markdown-it-anchor's, which
 * VitePress and others use (punctuation to dashes: `server-host`).
 */
export function slugsOf(heading: string): string[] {
  const plain = heading.toLowerCase().replace(/<[^>]*>/g, '').replace(/`/g, '').trim();
  const github = plain.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
  const dashed = plain.replace(/[^\p{L}\p{N}_]+/gu, '-').replace(/^-+|-+$/g, '');
  return [...new Set([github, dashed])];
}

/** Links that point into the repository: not a URL, not mail, not site-absolute, not a template. */
function isRelative(target: string): boolean {
  return target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('/') && !target.startsWith('//') && !/[{}$]/.test(target);
}

/** The links and anchors of a Markdown (or reStructuredText) page. Fenced code blocks and inline code are skipped. */
export function pageLinks(text: string, rst: boolean): PageLinks {
  const links: DocLink[] = [];
  const anchors: string[] = [];
  const seen = new Map<string, number>();
  let fence: string | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // Cheap substring tests before each expression: most lines of a page hold no fence, link or id.
    const opening = line.includes('``') || line.includes('~~') ? FENCE.exec(line)?.[1] : undefined;
    if (fence !== undefined) {
      if (opening && opening[0] === fence[0] && opening.length >= fence.length) fence = undefined;
      return;
    }
    if (opening && !rst) {
      fence = opening;
      return;
    }
    if (line.includes('=')) for (const match of line.matchAll(HTML_ID)) anchors.push(match[1]!);
    if (rst) {
      const directive = line.includes('::') ? RST_DIRECTIVE.exec(line)?.[1] : undefined;
      if (directive && isRelative(directive)) links.push({ line: index + 1, target: directive });
      return;
    }
    const heading = line.trimStart().startsWith('#') ? HEADING.exec(line)?.[1] : undefined;
    if (heading !== undefined) {
      const explicit = EXPLICIT_ID.exec(heading)?.[1];
      for (const base of explicit ? [explicit] : slugsOf(heading)) {
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        anchors.push(count === 0 ? base : `${base}-${count}`);
      }
    }
    if (!line.includes('](') && !line.includes(']:')) return;
    const code = line.includes('`') ? line.replace(/`[^`]*`/g, '') : line;
    for (const match of code.matchAll(MD_INLINE)) if (isRelative(match[1]!)) links.push({ line: index + 1, target: match[1]! });
    const reference = MD_REFERENCE.exec(code)?.[1];
    if (reference && isRelative(reference)) links.push({ line: index + 1, target: reference });
  });
  return { links, anchors };
}

export interface BrokenLink {
  path: string;
  line: number;
  target: string;
  reason: 'missing file' | 'missing heading';
}

const PAGE = /\.(md|markdown|mdx|rst)$/i;

/**
 * The links of every page that lead nowhere: a relative path that names no file or folder of the
 * workspace (tried as written, then as `.md`, `/index.md`, `/README.md`, `.html`), or a `#heading`
 * the target page does not have. Site-absolute links (`/guide/`) and URLs are not judged.
 */
export function checkLinks(pages: ReadonlyMap<string, PageLinks>, files: ReadonlySet<string>): BrokenLink[] {
  const folders = new Set<string>();
  for (const file of files) for (let at = file.indexOf('/'); at >= 0; at = file.indexOf('/', at + 1)) folders.add(file.slice(0, at));
  const broken: BrokenLink[] = [];
  for (const [path, page] of pages) {
    for (const link of page.links) {
      const [rawTarget = '', anchor] = link.target.split('#', 2) as [string, string | undefined];
      let decoded = rawTarget.split('?')[0]!;
      try {
        decoded = decodeURIComponent(decoded);
      } catch {
        // keep it as written
      }
      const resolved = decoded === '' ? path : posix.normalize(posix.join(posix.dirname(path), decoded)).replace(/\/+$/, '');
      if (resolved.startsWith('../') || resolved === '..') continue; // outside the workspace: not ours to judge
      const candidates = [resolved, `${resolved}.md`, `${resolved}/index.md`, `${resolved}/README.md`, `${resolved}.html`, `${resolved}.rst`];
      const found = candidates.find((candidate) => files.has(candidate));
      if (!found && !folders.has(resolved) && resolved !== '.') {
        broken.push({ path, line: link.line, target: link.target, reason: 'missing file' });
        continue;
      }
      const targetPage = found && PAGE.test(found) ? pages.get(found) : undefined;
      if (anchor && targetPage && !targetPage.anchors.includes(anchor.toLowerCase()) && !targetPage.anchors.includes(anchor)) {
        broken.push({ path, line: link.line, target: link.target, reason: 'missing heading' });
      }
    }
  }
  return broken;
}
