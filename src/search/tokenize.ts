import { normaliseText } from '../reports/import/normalize.ts'

// Chinese full-text search without a segmenter (stack.md §2.3): each run of Han characters becomes
// its overlapping bigrams plus the run's last character, other runs lower-case words. A query of
// one Han character is a prefix search, of two or more a phrase of bigrams: exact substring
// semantics at every length, with an index used on both databases.

const hanRun = /[\p{Script=Han}]+/gu
const wordRun = /(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu

export function documentTokens(text: string): string[] {
  const out: string[] = []
  const normal = normaliseText(text).toLowerCase()
  // Han and other runs are taken in order; a non-Han run never swallows Han (stack.md pitfall 7).
  for (const m of normal.matchAll(/[\p{Script=Han}]+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu)) {
    const run = m[0]
    if (/^\p{Script=Han}/u.test(run)) {
      const chars = [...run]
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!)
      out.push(chars.at(-1)!)
    } else out.push(run)
  }
  return out
}

export type QueryPart =
  { kind: 'prefix'; token: string } | { kind: 'phrase'; tokens: string[] } | { kind: 'word'; token: string }

/** The parts of a query, all of which must match; empty when the query has nothing searchable. */
export function queryParts(query: string): QueryPart[] {
  const parts: QueryPart[] = []
  const normal = normaliseText(query).toLowerCase()
  for (const m of normal.matchAll(/[\p{Script=Han}]+|[^\p{Script=Han}\s\p{P}\p{S}]+/gu)) {
    const run = m[0]
    if (hanRun.test(run)) {
      hanRun.lastIndex = 0
      const chars = [...run]
      if (chars.length === 1) parts.push({ kind: 'prefix', token: chars[0]! })
      else parts.push({ kind: 'phrase', tokens: chars.slice(0, -1).map((c, i) => c + chars[i + 1]!) })
    } else {
      for (const w of run.match(wordRun) ?? []) parts.push({ kind: 'word', token: w })
    }
  }
  return parts
}

/** Chunks of at most `size` tokens with a small overlap: PostgreSQL positions stop at 16,383 (stack.md pitfall 8). */
export function chunkTokens(tokens: string[], size = 12_000, overlap = 32): string[][] {
  if (tokens.length <= size) return [tokens]
  const chunks: string[][] = []
  for (let start = 0; start < tokens.length; start += size - overlap) chunks.push(tokens.slice(start, start + size))
  return chunks
}
