import type { QueryPart } from './tokenize.ts'

// Relevance for engines whose own ranking is too slow (SQLite: see search.sqlite.ts), computed over
// the candidates' token strings.

export type Candidate = { id: number; tokens: string }

const k1 = 1.2
const b = 0.75
const accented = /[\u00c0-\u024f\u1e00-\u1eff]/
const plain = (s: string) => (accented.test(s) ? s.normalize('NFD').replace(/\p{M}/gu, '') : s)
function tokenCount(tokens: string): number {
  if (tokens.length === 0) return 0
  let n = 1
  for (let at = tokens.indexOf(' '); at >= 0; at = tokens.indexOf(' ', at + 1)) n++
  return n
}

/** Occurrences of a query part in a space-separated token string (FTS5's unicode61 folds diacritics, so we do too). */
function occurrences(part: QueryPart, tokens: string): number {
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

/**
 * Okapi BM25 (k1 1.2, b 0.75, as FTS5) over the candidates. Every candidate holds every part, so
 * document frequency cannot tell the parts apart; each part is weighed instead by how rarely it
 * occurs among the candidates, so that the commoner part of a two-part query weighs less. Ties keep
 * the newer item first.
 */
export function rankCandidates(
  parts: readonly QueryPart[],
  rows: readonly Candidate[],
): { id: number; rank: number }[] {
  if (rows.length === 0) return []
  const lengths = rows.map((r) => tokenCount(r.tokens))
  const average = lengths.reduce((a, x) => a + x, 0) / rows.length || 1
  const counts = rows.map((r) => parts.map((p) => occurrences(p, r.tokens)))
  const totals = parts.map((_, k) => counts.reduce((a, c) => a + c[k]!, 0))
  const most = Math.max(...totals, 1)
  const weights = totals.map((t) => Math.log(1 + (most + 0.5) / (t + 0.5)))
  const scored = rows.map((r, i) => {
    const norm = k1 * (1 - b + (b * lengths[i]!) / average)
    const score = counts[i]!.reduce((a, tf, k) => a + (weights[k]! * tf * (k1 + 1)) / (tf + norm), 0)
    return { id: r.id, rank: score, order: i }
  })
  scored.sort((x, y) => y.rank - x.rank || x.order - y.order)
  return scored.map(({ id, rank }) => ({ id, rank }))
}
