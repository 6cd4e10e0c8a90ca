import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import type { DatabaseKind, Executor } from '../storage/database.ts'
import { readRows } from '../storage/sqlite-reader.ts'
import { b, k1, plain, rankedItems } from './rank.ts'
import type { QueryPart } from './tokenize.ts'

// Exact BM25 relevance without scoring every match (issue #15). Okapi BM25 as FTS5's bm25() computes it over our
// bigram index (k1 1.2, b 0.75; a row of the index — an item's chunk — is a document; its length is its token
// count; the average is over every row): for a query of one part, a document's score is idf × f(tf, dl), where
//   f(tf, dl) = tf (k1 + 1) / (tf + k1 (1 − b + b dl / avgdl)),
// and idf is the same for every document, so the order is the order of f.
//
// Impact lists (search_postings): for every gram — each token (Han bigram, a run's last character, a word) and each
// Han character as a one-character prefix (`公*`: a 1-character query is a prefix search) — the documents holding it,
// ordered by f computed with a snapshot of the average length (search_stats.snapshot_avg). A list keeps the
// `listCap` heaviest documents (between trims up to twice as many); `spill` is the highest impact of a document left
// out.
//
// A query walks its gram's list in impact order (a phrase walks one of its bigrams' lists: a phrase occurs in a
// document at most as often as each of its bigrams, so f(phrase tf) ≤ f(bigram tf)), scores each document found
// exactly with the live average, and stops once the k-th best score is at least what any document not yet seen could
// score: the cursor's (or spill's) impact × max(1, live avg / snapshot avg) — threshold algorithm; f with the live
// average exceeds f with the snapshot by at most that factor (1 while the live average stays below the snapshot, which
// is set with headroom). A phrase with complete lists (bigrams in so few documents that their lists hold them all) is
// scored over the documents those lists share (scoreCompleteLists). When the lists run out first (a filter that leaves
// few documents in the capped lists, a deep page, a query of several parts), the matches are scored exactly: on SQLite
// from their rows while they are a few hundred (search.sqlite.ts fewMatches), else FTS5 bm25(); on PostgreSQL the same
// formula in SQL or over the matches' tokens (search.store.ts searchItems).

/** The most documents a gram's list keeps (tests make it small, to reach the trimming and the spill). */
export const rankingLimits = { listCap: 256 }
/** Lists are rebuilt inside a publication while the index is this small (a few hundred milliseconds at most). */
const smallIndex = 200
/**
 * The snapshot average is set this much above the live one: while the live average stays below the snapshot, f with
 * the live average never exceeds f with the snapshot and the walk's bound needs no slack.
 */
export const headroom = 1.05

export type RankedHit = { id: number; rank: number }

/** A document's number: its item and its chunk. */
export const docOf = (itemId: number, chunk: number) => itemId * 256 + chunk
const itemOfDoc = (doc: number) => Math.floor(doc / 256)

export const weight = (tf: number, dl: number, avg: number) => (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * dl) / avg))

/** Each gram of a chunk's tokens with how often it occurs. */
export function gramsOf(tokens: readonly string[]): Map<string, number> {
  const grams = new Map<string, number>()
  const add = (g: string) => grams.set(g, (grams.get(g) ?? 0) + 1)
  for (const raw of tokens) {
    const t = plain(raw)
    add(t)
    const first = String.fromCodePoint(t.codePointAt(0)!)
    if (/\p{Script=Han}/u.test(first)) add(`${first}*`)
  }
  return grams
}

/** The grams a query part is looked up by, and how to count the part in a document's token string. */
function gramsOfPart(part: QueryPart): string[] {
  if (part.kind === 'prefix') return [`${plain(part.token)}*`]
  if (part.kind === 'word') return [plain(part.token)]
  return [...new Set(part.tokens.map(plain))]
}

/**
 * search_stats.rebuild: 0 the lists are kept; 1 they must be built and the counts are not known (an index from before
 * them); 2 they are deferred for a bulk load and the counts are kept exact (deferRanking). While it is not 0 the lists
 * are neither kept nor read, and rebuildRanking builds them (indexCounts: counted afresh only at 1).
 */
type Stats = { docs: number; tokens: number; snapshot_avg: number; rebuild: number }

async function statsOf(db: Executor, kind: DatabaseKind, lock = false): Promise<Stats> {
  const row =
    kind === 'postgres' && lock
      ? (
          await sql<Stats>`select docs, tokens, snapshot_avg, rebuild from search_stats where id = 1 for update`.execute(
            db,
          )
        ).rows[0]
      : await db.selectFrom('search_stats').select(['docs', 'tokens', 'snapshot_avg', 'rebuild']).executeTakeFirst()
  if (!row) throw new Error('search_stats has no row')
  return {
    docs: Number(row.docs),
    tokens: Number(row.tokens),
    snapshot_avg: Number(row.snapshot_avg),
    rebuild: Number(row.rebuild),
  }
}

/**
 * The index's documents and tokens. They are kept exact as documents come and go (search_stats.rebuild 0, or 2 while a
 * bulk load defers the lists); an index from before the lists (1) has them counted here, a read of every token (about
 * 6 GB at 1,000,000 items). On PostgreSQL `lock` holds the stats row, as a rebuild must.
 */
export async function indexCounts(db: Executor, kind: DatabaseKind, lock = false) {
  const kept = await statsOf(db, kind, lock)
  if (kept.rebuild !== 1) return { docs: kept.docs, tokens: kept.tokens }
  const counted = await sql<{ docs: number; tokens: number | null }>`select count(*) as docs,
    sum(case when tokens = '' then 0 else length(tokens) - length(replace(tokens, ' ', '')) + 1 end) as tokens
    from item_search`.execute(db)
  return { docs: Number(counted.rows[0]?.docs ?? 0), tokens: Number(counted.rows[0]?.tokens ?? 0) }
}

const chunked = <T>(xs: readonly T[], n: number): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

/** Adds one document to the lists and the counts. Callers on PostgreSQL hold the stats row (statsOf with lock). */
/** Rows passed as one JSON parameter: thousands of grams a document would cost thousands of bound values. */
const jsonRows = (kind: DatabaseKind, rows: unknown[][], columns: RawBuilder<unknown>) =>
  kind === 'sqlite'
    ? sql`(select ${columns} from (select value as v from json_each(${JSON.stringify(rows)})))`
    : sql`(select ${columns} from (select value as v from json_array_elements(${JSON.stringify(rows)}::json)) j)`
// Element i of each row (a JSON array), as text or as a number; i is one of the few fixed positions below.
const positions = ['0', '1', '2', '3', '4'] as const
const jsonText = (kind: DatabaseKind, i: 0 | 1 | 2 | 3 | 4) =>
  kind === 'sqlite' ? sql`v ->> ${sql.raw(positions[i])}` : sql`(v ->> ${sql.raw(positions[i])})`
const jsonNumber = (kind: DatabaseKind, i: 0 | 1 | 2 | 3 | 4) =>
  kind === 'sqlite' ? sql`v ->> ${sql.raw(positions[i])}` : sql`(v ->> ${sql.raw(positions[i])})::double precision`

type GramState = { listed: number; floor: number; spill: number; changed: boolean }

/**
 * Adds documents to the lists, any number at once: their grams' rows are read in one pass, the cap and spill rules
 * applied in memory document by document (in order), and the postings and grams written with a few statements — the
 * documents of a batch share most of their ~900 grams each, so a batch of 500 costs a fraction of 500 single ones
 * (issue #15: indexing at 28–40 items/s). A list that grew past twice its cap within the batch is trimmed after it,
 * once: until then a list may hold more than it would one document at a time, which only lengthens walks.
 */
async function listDocuments(
  db: Executor,
  kind: DatabaseKind,
  docs: readonly { doc: number; tokens: readonly string[] }[],
  avg: number,
): Promise<void> {
  const perDoc = docs.map((d) => ({ doc: d.doc, dl: d.tokens.length, grams: gramsOf(d.tokens) }))
  const names = new Set<string>()
  for (const d of perDoc) for (const g of d.grams.keys()) names.add(g)
  const state = new Map<string, GramState>()
  for (const part of chunked([...names], 20_000)) {
    const found = await sql<{ gram: string; listed: number; floor: number; spill: number }>`select g.gram, g.listed,
      g.floor, g.spill from search_grams g where g.gram in ${jsonRows(
        kind,
        part.map((g) => [g]),
        sql`${jsonText(kind, 0)} as gram`,
      )}`.execute(db)
    for (const g of found.rows)
      state.set(g.gram, { listed: Number(g.listed), floor: Number(g.floor), spill: Number(g.spill), changed: false })
  }
  const candidates = new Map<string, unknown[][]>()
  for (const { doc, dl, grams } of perDoc) {
    for (const [gram, tf] of grams) {
      const impact = weight(tf, dl, avg)
      let g = state.get(gram)
      if (!g) state.set(gram, (g = { listed: 0, floor: 0, spill: 0, changed: false }))
      if (g.listed < rankingLimits.listCap || impact > g.floor) {
        let list = candidates.get(gram)
        if (!list) candidates.set(gram, (list = []))
        list.push([gram, impact, tf, doc, dl])
        g.listed++
        g.changed = true
      } else if (impact > g.spill) {
        g.spill = impact
        g.changed = true
      }
    }
  }
  // A gram whose list will be trimmed after the batch keeps at most `listCap` of the batch's documents: the trim keeps
  // the list's best `listCap` (impact, then doc, descending), which cannot include a document that `listCap` others of
  // the batch outweigh. Those are left out here, their highest impact raising the spill as the trim would; a first
  // batch of 500 items no longer writes (and deletes again) ~450,000 postings.
  const postings: unknown[][] = []
  for (const [gram, list] of candidates) {
    const g = state.get(gram)!
    if (g.listed >= 2 * rankingLimits.listCap && list.length > rankingLimits.listCap) {
      list.sort((x, y) => (y[1] as number) - (x[1] as number) || (y[3] as number) - (x[3] as number))
      const dropped = list.splice(rankingLimits.listCap)
      g.listed -= dropped.length
      g.spill = Math.max(g.spill, dropped[0]![1] as number)
    }
    for (const posting of list) postings.push(posting)
  }
  for (const part of chunked(postings, 5_000))
    await sql`insert into search_postings (gram, impact, doc, tf, dl) select gram, impact, doc, tf, dl from
      ${jsonRows(kind, part, sql`${jsonText(kind, 0)} as gram, ${jsonNumber(kind, 1)} as impact, ${jsonNumber(kind, 2)} as tf, ${jsonNumber(kind, 3)} as doc, ${jsonNumber(kind, 4)} as dl`)} p`.execute(
      db,
    )
  const changed = [...state].filter(([, g]) => g.changed).map(([gram, g]) => [gram, g.listed, g.floor, g.spill])
  for (const part of chunked(changed, 5_000))
    await sql`insert into search_grams (gram, listed, floor, spill) select gram, listed, floor, spill from
      ${jsonRows(kind, part, sql`${jsonText(kind, 0)} as gram, ${jsonNumber(kind, 1)} as listed, ${jsonNumber(kind, 2)} as floor, ${jsonNumber(kind, 3)} as spill`)} c
      where true on conflict (gram) do update set listed = excluded.listed, floor = excluded.floor,
      spill = excluded.spill`.execute(db)
  // A list grown to twice its size drops its lightest documents back to `listCap`, all at once; the highest impact
  // dropped raises the list's spill, the lightest kept is its floor (until then newcomers lighter than it may join).
  for (const [gram, g] of state) if (g.changed && g.listed >= 2 * rankingLimits.listCap) await trimList(db, gram)
}

async function trimList(db: Executor, gram: string): Promise<void> {
  const g = await db.selectFrom('search_grams').selectAll().where('gram', '=', gram).executeTakeFirstOrThrow()
  const [kept, dropped] = await Promise.all(
    [rankingLimits.listCap - 1, rankingLimits.listCap].map((offset) =>
      db
        .selectFrom('search_postings')
        .select(['impact', 'doc'])
        .where('gram', '=', gram)
        .orderBy('impact', 'desc')
        .orderBy('doc', 'desc')
        .limit(1)
        .offset(offset)
        .executeTakeFirst(),
    ),
  )
  if (!kept || !dropped) return
  const gone = await db
    .deleteFrom('search_postings')
    .where('gram', '=', gram)
    .where((eb) =>
      eb.or([
        eb('impact', '<', dropped.impact),
        eb.and([eb('impact', '=', dropped.impact), eb('doc', '<=', dropped.doc)]),
      ]),
    )
    .executeTakeFirst()
  await db
    .updateTable('search_grams')
    .set({
      listed: Number(g.listed) - Number(gone.numDeletedRows),
      spill: Math.max(Number(g.spill), Number(dropped.impact)),
      floor: Number(kept.impact),
    })
    .where('gram', '=', gram)
    .execute()
}

export type NewDocument = { itemId: number; chunk: number; tokens: readonly string[] }

/** Records new documents (items' chunks) in the impact lists, any number at once. */
export async function addRanked(db: Executor, kind: DatabaseKind, documents: readonly NewDocument[]): Promise<void> {
  if (documents.length === 0) return
  const stats = await statsOf(db, kind, true)
  const added = documents.reduce((n, d) => n + d.tokens.length, 0)
  const docs = stats.docs + documents.length
  const total = stats.tokens + added
  // Lists waiting for a rebuild (an index from before them, or a bulk load that builds them once at its end) are not
  // read until it, which recomputes them from the whole index: only the counts are kept.
  if (stats.rebuild !== 0) {
    await db.updateTable('search_stats').set({ docs, tokens: total }).where('id', '=', 1).execute()
    return
  }
  const avg = stats.snapshot_avg > 0 ? stats.snapshot_avg : Math.max(1, added / documents.length) * headroom
  await listDocuments(
    db,
    kind,
    documents.map((d) => ({ doc: docOf(d.itemId, d.chunk), tokens: d.tokens })),
    avg,
  )
  await db.updateTable('search_stats').set({ docs, tokens: total, snapshot_avg: avg }).where('id', '=', 1).execute()
  // While the index is small its average moves fast; the lists are recomputed with the new one (cheap then). A large
  // index keeps its snapshot: results stay exact, the walks only get longer (`gongkai search rebuild` refreshes it).
  const live = total / docs
  if (docs <= smallIndex && (live > avg || live * 1.25 < avg)) await rebuildRanking(db, kind)
}

/** Removes a document (an item's chunk) from the impact lists. */
export async function removeRanked(
  db: Executor,
  kind: DatabaseKind,
  itemId: number,
  chunk: number,
  tokens: readonly string[],
): Promise<void> {
  const stats = await statsOf(db, kind, true)
  const counted = { docs: Math.max(0, stats.docs - 1), tokens: Math.max(0, stats.tokens - tokens.length) }
  // Lists waiting for a rebuild hold nothing to remove.
  if (stats.rebuild !== 0) {
    await db.updateTable('search_stats').set(counted).where('id', '=', 1).execute()
    return
  }
  const doc = docOf(itemId, chunk)
  const names = [...gramsOf(tokens).keys()]
  // The grams as one JSON parameter (a document has ~900), as listDocuments writes them.
  for (const part of chunked(names, 20_000)) {
    const gone = await sql<{ gram: string }>`delete from search_postings where doc = ${doc} and gram in ${jsonRows(
      kind,
      part.map((g) => [g]),
      sql`${jsonText(kind, 0)} as gram`,
    )} returning gram`.execute(db)
    if (gone.rows.length === 0) continue
    await sql`update search_grams set listed = listed - 1 where gram in ${jsonRows(
      kind,
      gone.rows.map((g) => [g.gram]),
      sql`${jsonText(kind, 0)} as gram`,
    )}`.execute(db)
  }
  await db.updateTable('search_stats').set(counted).where('id', '=', 1).execute()
}

/** Every document of the index with its tokens, in batches (for rebuilding the lists). */
async function* allDocuments(db: Executor, kind: DatabaseKind): AsyncGenerator<{ doc: number; tokens: string[] }[]> {
  if (kind === 'sqlite') {
    // Rowids pass 2^53: walked as text. An item's chunks have consecutive keys, in order.
    let after = '-1'
    let last = { item: -1, chunk: 0 }
    for (;;) {
      const rows = (
        await sql<{ key: string; item_id: number; tokens: string }>`select cast(rowid as text) as key, item_id, tokens
          from item_search where rowid > cast(${after} as integer) order by rowid limit 500`.execute(db)
      ).rows
      if (rows.length === 0) return
      yield rows.map((r) => {
        const item = Number(r.item_id)
        last = { item, chunk: last.item === item ? last.chunk + 1 : 0 }
        return { doc: docOf(item, last.chunk), tokens: r.tokens ? r.tokens.split(' ') : [] }
      })
      after = rows.at(-1)!.key
    }
  }
  // Paged by (item, chunk) from the item index: `item_id * 256 + chunk > x` filtered every row before the page (each
  // page rescanned all the earlier ones: quadratic at 1,000,000 documents) and overflowed integer past item 8,388,607.
  let after = { item: -1, chunk: -1 }
  for (;;) {
    const rows = (
      await sql<{ item_id: number; chunk: number; tokens: string }>`select item_id, chunk, tokens from item_search
        where item_id >= ${after.item} and (item_id, chunk) > (${after.item}, ${after.chunk})
        order by item_id, chunk limit 500`.execute(db)
    ).rows
    if (rows.length === 0) return
    yield rows.map((r) => ({
      doc: docOf(Number(r.item_id), Number(r.chunk)),
      tokens: r.tokens ? r.tokens.split(' ') : [],
    }))
    after = { item: Number(rows.at(-1)!.item_id), chunk: Number(rows.at(-1)!.chunk) }
  }
}

/**
 * One gram's list while the lists are rebuilt: `size` entries of four numbers (impact, doc, tf, dl) in a typed array
 * (outside the JavaScript heap, whose limit a large vocabulary would reach: ~15 KB a full list), unordered until they
 * reach twice the cap, then cut to the best `listCap` (impact, then doc, descending, the lists' order); `lastImpact`
 * and `lastDoc` are the lowest kept after a cut, below which a document cannot join; `spill` the highest impact cut.
 */
type Building = {
  entries: Float64Array
  size: number
  cut: boolean
  lastImpact: number
  lastDoc: number
  spill: number
}

function addEntry(g: Building, impact: number, doc: number, tf: number, dl: number): void {
  if (g.size * 4 === g.entries.length) {
    const grown = new Float64Array(Math.max(16, g.entries.length * 2))
    grown.set(g.entries)
    g.entries = grown
  }
  const at = g.size * 4
  g.entries[at] = impact
  g.entries[at + 1] = doc
  g.entries[at + 2] = tf
  g.entries[at + 3] = dl
  g.size++
  if (g.size >= 2 * rankingLimits.listCap) cutList(g)
}

function cutList(g: Building): void {
  const n = g.size
  const e = g.entries
  const order = Array.from({ length: n }, (_, i) => i)
  order.sort((x, y) => e[y * 4]! - e[x * 4]! || e[y * 4 + 1]! - e[x * 4 + 1]!)
  const cap = rankingLimits.listCap
  const keep = Math.min(n, cap)
  const kept = new Float64Array(Math.max(16, 2 * cap * 4))
  for (let k = 0; k < keep; k++) kept.set(e.subarray(order[k]! * 4, order[k]! * 4 + 4), k * 4)
  if (n > cap) {
    g.spill = Math.max(g.spill, e[order[cap]! * 4]!)
    g.cut = true
    g.lastImpact = kept[(keep - 1) * 4]!
    g.lastDoc = kept[(keep - 1) * 4 + 1]!
  }
  g.entries = n > cap ? kept : e
  g.size = keep
}

/**
 * Recomputes the lists from the index with its present average (an existing index, or a refreshed snapshot), in one
 * pass: every document's grams go into lists kept in memory, each cut to its best `listCap` whenever it reaches twice
 * that, and the lists are written once at the end in the index's order. Adding the documents batch by batch, as
 * publication does, wrote and trimmed every list again and again: 300,000 items took 40 minutes to index that way
 * (issue #15). The result is what publication one by one keeps — each gram's best `listCap` documents, the highest
 * impact left out as its spill, the lowest kept as its floor once a document was left out — without the slack that
 * lists get between trims.
 */
export async function rebuildRanking(db: Executor, kind: DatabaseKind): Promise<number> {
  const { docs, tokens } = await indexCounts(db, kind, true)
  await db.deleteFrom('search_postings').execute()
  await db.deleteFrom('search_grams').execute()
  const avg = docs > 0 ? (tokens / docs) * headroom : 0
  // Grams are numbered as first met, and each distinct token's grams (itself, and its first character as a prefix when
  // that is Han, as gramsOf makes them) worked out once: a document's ~1,100 tokens are then counted in an array, not a
  // Map built for each document (the pass over 1,000,000 documents is most of the rebuild).
  const names: string[] = []
  const lists: Building[] = []
  const ids = new Map<string, number>()
  const idOf = (gram: string) => {
    let id = ids.get(gram)
    if (id === undefined) {
      ids.set(gram, (id = names.length))
      names.push(gram)
      lists.push({ entries: new Float64Array(0), size: 0, cut: false, lastImpact: 0, lastDoc: 0, spill: 0 })
      counts.push(0)
    }
    return id
  }
  const counts: number[] = []
  const gramsOfToken = new Map<string, readonly number[]>()
  const touched: number[] = []
  for await (const batch of allDocuments(db, kind)) {
    for (const { doc, tokens: t } of batch) {
      const dl = t.length
      for (const raw of t) {
        let own = gramsOfToken.get(raw)
        if (!own) gramsOfToken.set(raw, (own = [...gramsOf([raw]).keys()].map(idOf)))
        for (const id of own) if (counts[id]!++ === 0) touched.push(id)
      }
      for (const id of touched) {
        const tf = counts[id]!
        counts[id] = 0
        const impact = weight(tf, dl, avg)
        const g = lists[id]!
        // Below the lowest kept after a cut: it would be cut again.
        if (g.cut && (impact < g.lastImpact || (impact === g.lastImpact && doc < g.lastDoc))) {
          if (impact > g.spill) g.spill = impact
          continue
        }
        addEntry(g, impact, doc, tf, dl)
      }
      touched.length = 0
    }
  }
  const grams = names.map((name, id) => ({ name, id })).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
  let postings: unknown[][] = []
  let rows: unknown[][] = []
  const writePostings = async () => {
    for (const part of chunked(postings, 5_000))
      await sql`insert into search_postings (gram, impact, doc, tf, dl) select gram, impact, doc, tf, dl from
        ${jsonRows(kind, part, sql`${jsonText(kind, 0)} as gram, ${jsonNumber(kind, 1)} as impact, ${jsonNumber(kind, 2)} as tf, ${jsonNumber(kind, 3)} as doc, ${jsonNumber(kind, 4)} as dl`)} p`.execute(
        db,
      )
    for (const part of chunked(rows, 5_000))
      await sql`insert into search_grams (gram, listed, floor, spill) select gram, listed, floor, spill from
        ${jsonRows(kind, part, sql`${jsonText(kind, 0)} as gram, ${jsonNumber(kind, 1)} as listed, ${jsonNumber(kind, 2)} as floor, ${jsonNumber(kind, 3)} as spill`)} c`.execute(
        db,
      )
    postings = []
    rows = []
  }
  for (const { name: gram, id } of grams) {
    const g = lists[id]!
    cutList(g)
    const e = g.entries
    for (let i = 0; i < g.size * 4; i += 4) postings.push([gram, e[i], e[i + 2], e[i + 1], e[i + 3]])
    rows.push([gram, g.size, g.cut ? g.lastImpact : 0, g.spill])
    g.entries = new Float64Array(0)
    if (postings.length >= 50_000) await writePostings()
  }
  await writePostings()
  await db
    .updateTable('search_stats')
    .set({ docs, tokens, snapshot_avg: avg, rebuild: 0 })
    .where('id', '=', 1)
    .execute()
  return docs
}

/**
 * Stops keeping the lists until rebuildRanking builds them again: for a bulk load, which then pays for the lists once
 * instead of batch by batch. Until the rebuild, relevance scores every match (exact, slower).
 */
export async function deferRanking(db: Executor): Promise<void> {
  // Lists that must be built already (1, counts unknown) stay so.
  await db.updateTable('search_stats').set({ rebuild: 2 }).where('id', '=', 1).where('rebuild', '=', 0).execute()
}

/** Whether the lists must be built (an index that existed before them). */
export async function rankingNeedsRebuild(db: Executor, kind: DatabaseKind): Promise<boolean> {
  return (await statsOf(db, kind)).rebuild !== 0
}

/**
 * Whether some part of a query holds a gram that no document holds, so that nothing can match: a word found nowhere
 * made PostgreSQL walk its whole date index for newest-first (4.7–5.0 s at 300,000 items). Known from the lists' grams
 * (a gram no document ever held has no row; one whose list is empty with nothing left out is held by none), once the
 * lists are built; before that, false (not known).
 */
export async function nothingMatches(db: Executor, kind: DatabaseKind, parts: readonly QueryPart[]): Promise<boolean> {
  if ((await statsOf(db, kind)).rebuild !== 0) return false
  const grams = [...new Set(parts.flatMap(gramsOfPart))]
  const rows = await db.selectFrom('search_grams').select(['listed', 'spill']).where('gram', 'in', grams).execute()
  return rows.length < grams.length || rows.some((g) => Number(g.listed) === 0 && Number(g.spill) === 0)
}

type Cursor = { gram: string; impact: number; doc: number; done: boolean; spill: number }

/**
 * The best `k` items for a query of one part, exactly, from the impact lists; undefined when the lists cannot prove
 * it (the caller then scores every match). `occurrencesIn` counts the part in documents (for phrases).
 */
export async function walkLists(
  db: Executor,
  kind: DatabaseKind,
  part: QueryPart,
  where: RawBuilder<unknown>,
  k: number,
  occurrencesIn: (docs: readonly number[]) => Promise<Map<number, number>>,
): Promise<RankedHit[] | undefined> {
  const stats = await statsOf(db, kind)
  if (stats.rebuild !== 0) return undefined
  if (stats.docs === 0) return []
  const avg = stats.tokens / stats.docs
  const slack = Math.max(1, avg / stats.snapshot_avg)
  const grams = gramsOfPart(part)
  const info = await db.selectFrom('search_grams').selectAll().where('gram', 'in', grams).execute()
  // A gram no document holds: nothing matches.
  if (info.length < grams.length) return []
  // A phrase walks its bigrams' lists: it occurs in a document at most as often as each of its bigrams, so a document
  // no list has shown yet scores at most the lowest of the lists' bounds. It starts with the tightest list, the one
  // whose spill is lowest: a complete list (once read, every match has been seen), else the rarer bigram's, whose
  // heaviest left-out document weighs least. Ordered by how many documents a list holds, 种设备保障 at 200,000 items
  // walked 种设 (in 202,970 documents) instead of 备保 (in 6,915, nearly all of them the phrase's), found too few and
  // fell back. If that list has not proved the best within two batches, the walk goes over all of them side by side,
  // the tightest ending it; unless that list showed fewer than k matches: a phrase that rare is scored over its few
  // matches by the caller. One list alone failed for common phrases whose lists all lead with other things (中小企业
  // walked 企业 and fell back to scoring all 6,782 matches: 100 ms on SQLite, 370–740 ms on PostgreSQL at 10,000
  // items); all lists from the start read five lists' candidates for every rare name (issue #15).
  const cursors: Cursor[] = [...info]
    .sort((x, y) => x.spill - y.spill || x.listed - y.listed)
    .map((g) => ({
      gram: g.gram,
      impact: Number.POSITIVE_INFINITY,
      doc: Number.MAX_SAFE_INTEGER,
      done: false,
      spill: Number(g.spill),
    }))
  const single = part.kind !== 'phrase' || part.tokens.length === 1
  // A phrase one of whose bigrams is in so few documents that its list holds them all (nothing ever left out).
  if (!single && cursors[0]!.spill === 0)
    return scoreCompleteLists(
      db,
      kind,
      cursors.filter((c) => c.spill === 0).map((c) => c.gram),
      where,
      avg,
      occurrencesIn,
    )
  const seen = new Set<number>()
  const best = new Map<number, number>() // item → its best document's score
  const kth = () => (best.size < k ? 0 : [...best.values()].sort((x, y) => y - x)[k - 1]!)
  // A list not yet started bounds nothing (its cursor is at infinity).
  const bound = () => slack * Math.min(...cursors.map((c) => (c.done ? c.spill : Math.max(c.impact, c.spill))))
  const batch = 64
  let active = 1
  let rounds = 0
  for (;;) {
    const b0 = bound()
    // Nothing unseen can match (b0 = 0: a complete list was read), or nothing unseen can enter the best k.
    if (b0 === 0 || (best.size >= k && kth() >= b0)) break
    const firstDone = cursors.slice(0, active).every((c) => c.done)
    if (firstDone && active === cursors.length) return undefined
    if (active < cursors.length && (firstDone || ++rounds > 2)) {
      // Fewer than k found: a phrase this rare is cheaper to score over its few matches than to walk every list.
      if (best.size < k) return undefined
      active = cursors.length
      continue
    }
    for (const c of cursors.slice(0, active)) {
      if (c.done) continue
      // On SQLite's reader thread (storage/sqlite-reader.ts), as the phrase counts are (occurrencesIn): a batch is short
      // when cached, but a cold one waits on the disk, and better-sqlite3 waits on the server's thread. At 1,000,000
      // items a cold first search of 审计结果 or 人民政府 froze the server 168–409 ms on 15 ms of CPU, 巩固政策文件
      // 1,268 ms; on the reader, 10–46 ms (issue #15).
      const rows = await readRows(
        db,
        sql<{ doc: number; impact: number; tf: number; dl: number }>`select p.doc, p.impact, p.tf, p.dl
          from search_postings p join items i on i.id = ${kind === 'sqlite' ? sql`p.doc >> 8` : sql`(p.doc / 256)`}
          where p.gram = ${c.gram} and (p.impact < ${c.impact} or (p.impact = ${c.impact} and p.doc < ${c.doc}))
          and ${where} order by p.impact desc, p.doc desc limit ${batch}`,
      )
      if (rows.length < batch) c.done = true
      const last = rows.at(-1)
      if (last) {
        c.impact = Number(last.impact)
        c.doc = Number(last.doc)
      }
      const fresh = rows.filter((r) => !seen.has(Number(r.doc)))
      const counts = single ? undefined : await occurrencesIn(fresh.map((r) => Number(r.doc)))
      for (const r of fresh) {
        const doc = Number(r.doc)
        seen.add(doc)
        const tf = counts ? (counts.get(doc) ?? 0) : Number(r.tf)
        if (tf === 0) continue
        const score = weight(tf, Number(r.dl), avg)
        const item = itemOfDoc(doc)
        if ((best.get(item) ?? -1) < score) best.set(item, score)
      }
    }
  }
  return rankedItems(best)
}

/**
 * The phrase's matches scored, when some of its bigrams' lists are complete: a document holding the phrase holds each
 * of its bigrams, so it is in every complete list, and the documents all of them hold are the only candidates. Only
 * those are counted (rare names and cross-word substrings: the lists of 收做 and 好公 share a handful of documents,
 * where each alone holds a few hundred). Every candidate is scored, so every page is exact. FTS5's bm25() on such a
 * phrase ran it over the whole index twice, its common bigrams (做好, 公路) in hundreds of thousands of rows: 15–30 ms
 * warm at 300,000 items (issue #15).
 */
async function scoreCompleteLists(
  db: Executor,
  kind: DatabaseKind,
  grams: readonly string[],
  where: RawBuilder<unknown>,
  avg: number,
  occurrencesIn: (docs: readonly number[]) => Promise<Map<number, number>>,
): Promise<RankedHit[]> {
  let candidates: Map<number, number> | undefined // doc → its length
  for (const [n, gram] of grams.entries()) {
    // The filters are applied to the first list read; the others only narrow it.
    const rows = (
      n === 0
        ? await sql<{ doc: number; dl: number }>`select p.doc, p.dl from search_postings p
            join items i on i.id = ${kind === 'sqlite' ? sql`p.doc >> 8` : sql`(p.doc / 256)`}
            where p.gram = ${gram} and ${where}`.execute(db)
        : await sql<{ doc: number; dl: number }>`select p.doc, p.dl from search_postings p
            where p.gram = ${gram}`.execute(db)
    ).rows
    const next = new Map<number, number>()
    for (const r of rows) {
      const doc = Number(r.doc)
      if (!candidates || candidates.has(doc)) next.set(doc, Number(r.dl))
    }
    candidates = next
    if (candidates.size === 0) return []
  }
  if (!candidates) return []
  const counts = await occurrencesIn([...candidates.keys()])
  const best = new Map<number, number>() // item → its best document's score
  for (const [doc, dl] of candidates) {
    const tf = counts.get(doc) ?? 0
    if (tf === 0) continue
    const score = weight(tf, dl, avg)
    const item = itemOfDoc(doc)
    if ((best.get(item) ?? -1) < score) best.set(item, score)
  }
  return rankedItems(best)
}
