import type { QueryPart } from './tokenize.ts'

// BM25 over token strings: term counts as FTS5 counts them, and the full formula for the engine that lacks bm25()
// (PostgreSQL) when it must score every match (ranking.ts).

export const k1 = 1.2
export const b = 0.75
const accented = /[\u00c0-\u024f\u1e00-\u1eff]/
export const plain = (s: string) => (accented.test(s) ? s.normalize('NFD').replace(/\p{M}/gu, '') : s)
export function tokenCount(tokens: string): number {
  if (tokens.length === 0) return 0
  let n = 1
  for (let at = tokens.indexOf(' '); at >= 0; at = tokens.indexOf(' ', at + 1)) n++
  return n
}

/** Occurrences of a query part in a space-separated token string (FTS5's unicode61 folds diacritics, so we do too). */
export function occurrences(part: QueryPart, tokens: string): number {
  const hay = ` ${plain(tokens)} `
  const needle =
    part.kind === 'prefix'
      ? ` ${plain(part.token)}`
      : ` ${plain(part.kind === 'phrase' ? part.tokens.join(' ') : part.token)} `
  let n = 0
  // Step one character past each hit so that overlapping phrases (哈哈哈 for 哈哈) all count.
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) n++
  return n
}

/** Whether a phrase can occur overlapping itself (哈哈哈 in 哈哈哈哈): some shift of its tokens matches its start. */
export function overlapsItself(tokens: readonly string[]): boolean {
  for (let shift = 1; shift < tokens.length; shift++)
    if (tokens.slice(shift).every((t, j) => t === tokens[j])) return true
  return false
}

/**
 * For a Han phrase that cannot overlap itself, the text ` t1 … tn` whose count in ` ` + a token string is
 * occurrences(): Han tokens are at most two characters, so it matches whole tokens only, and its matches cannot
 * overlap, so SQL's replace() counts them all; undefined for other parts (counted with occurrences()).
 */
export function countableNeedle(part: QueryPart): string | undefined {
  if (part.kind !== 'phrase' || overlapsItself(part.tokens)) return undefined
  if (!part.tokens.every((t) => /^\p{Script=Han}+$/u.test(t))) return undefined
  return ` ${part.tokens.join(' ')}`
}

/** Each item's best score, best first; ties keep the newer item (higher id) first. */
export const rankedItems = (best: ReadonlyMap<number, number>): { id: number; rank: number }[] =>
  [...best.entries()].map(([id, rank]) => ({ id, rank })).sort((x, y) => y.rank - x.rank || y.id - x.id)

export type Candidate = { id: number; tokens: string }

/**
 * Okapi BM25 exactly as FTS5's bm25() computes it (k1 1.2, b 0.75): each part weighed by its idf over the whole index
 * (`matching[k]` of `docs` documents hold part k; an idf at or below zero counts as 1e-6), the document's length
 * against the index's average. Best first; ties keep the newer item (higher id) first.
 */
export function scoreExactly(
  parts: readonly QueryPart[],
  rows: readonly Candidate[],
  index: { docs: number; average: number; matching: readonly number[] },
): { id: number; rank: number }[] {
  const idf = parts.map((_, k) => {
    const n = index.matching[k] ?? 0
    const v = Math.log((index.docs - n + 0.5) / (n + 0.5))
    return v > 0 ? v : 1e-6
  })
  const average = index.average || 1
  const best = new Map<number, number>()
  for (const r of rows) {
    const dl = tokenCount(r.tokens)
    const norm = k1 * (1 - b + (b * dl) / average)
    let score = 0
    for (const [k, p] of parts.entries()) {
      const tf = occurrences(p, r.tokens)
      score += (idf[k]! * tf * (k1 + 1)) / (tf + norm)
    }
    if ((best.get(r.id) ?? -1) < score) best.set(r.id, score)
  }
  return rankedItems(best)
}
