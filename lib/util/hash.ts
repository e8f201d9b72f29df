import { createHash } from 'node:crypto';

/**
 * Python's `str.encode("utf-8", errors="ignore")` drops lone UTF-16 surrogates, while
 * TextEncoder would write U+FFFD. Stripping them first keeps our hashes equal to the
 * reference tool's for the same input.
 */
export function stripLoneSurrogates(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

export function sha256Hex(data: string | Uint8Array): string {
  const hash = createHash('sha256');
  hash.update(typeof data === 'string' ? stripLoneSurrogates(data) : data);
  return hash.digest('hex');
}

/** The truncated hex form the reference uses for digests and ids. */
export function shortSha256(data: string | Uint8Array, length: number): string {
  return sha256Hex(data).slice(0, length);
}
