import type { ItemRow } from '../disclosures/disclosure.store.ts'
import { bodyText } from '../disclosures/rich-text.ts'
import type { DatabaseKind, Executor } from '../storage/database.ts'
import { searchItems } from '../search/search.store.ts'
import { interpretationColumnIds, itemsNamed, publishedItemsIn, publishedItemsOf } from './portal.store.ts'
import { siteGeneration } from './public-content.ts'
import { numberSpellings } from './search-query.ts'

// 相关解读: a policy and its 解读 are linked both ways (国办发〔2016〕80号 asks that a policy and its
// interpretation be published together and linked). No relation is stored: an item in a 解读
// column (政策解读, or any column of the region whose name has 解读) is the interpretation of the published items whose 文号 it names, or whose
// title it names between 《》; a policy's interpretations are the 解读 items naming its 文号 or
// its title. Drafters already write “《关于…的通知》（垫府办发〔2026〕3号）解读”, so the link
// appears as soon as both are published, and goes when either is withdrawn.

// A 文号: issuer's abbreviation, the year in brackets of any kind, the serial and 号.
const docNumberPattern = /[\p{Script=Han}]{1,16}[〔[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,5})\s*号/gu

/**
 * The 文号 an item's text names, in the spellings it may be stored under: where the issuer's
 * abbreviation starts is unknown in running text (“印发了垫府办发〔2026〕3号”), so every tail of the
 * Han run before the bracket is tried, each with the year in 〔〕 as GB/T 9704-2012 writes it.
 */
export function docNumbersIn(text: string): string[] {
  const out = new Set<string>()
  for (const m of text.matchAll(docNumberPattern)) {
    const run = [...m[0].slice(0, m[0].search(/[〔[［(（]/))]
    for (let start = 0; start <= run.length - 2; start++) out.add(`${run.slice(start).join('')}〔${m[1]}〕${m[2]}号`)
  }
  return [...out]
}

/** The titles an item's text names between 《》, long enough to mean one document. */
export const titlesIn = (text: string): string[] => [
  ...new Set([...text.matchAll(/《([^《》]{6,200})》/g)].map((m) => m[1]!.trim()).filter((t) => [...t].length >= 6)),
]

/** The other side of the 政策解读 relation of a published item: its policies, or its interpretations. */
export async function relatedOf(
  db: Executor,
  kind: DatabaseKind,
  item: ItemRow,
): Promise<{ kind: 'policies' | 'interpretations'; items: ItemRow[] }> {
  const list = await interpretationsOf(db, kind)
  const { columns } = list
  if (columns.includes(item.column_id)) {
    const text = `${item.title}\n${bodyText(item.body)}`
    const policies = await itemsNamed(db, docNumbersIn(text), titlesIn(text), columns)
    return { kind: 'policies', items: policies }
  }
  // The 文号 as stored and as people type its brackets, and the title when long enough to mean one document.
  const numbers = item.doc_number ? numberSpellings(item.doc_number) : []
  const phrases = [...numbers, ...(item.title.length >= 6 ? [item.title] : [])]
  const found = namingAny(list, phrases, kind).slice(0, 10)
  return { kind: 'interpretations', items: found.filter((i) => i.id !== item.id) }
}

// How many interpretations naming one policy are looked for when that policy changes; past it, every stored
// page is taken as changed (a title so common that thousands of items hold it).
const relatedSearchLimit = 2000

/**
 * Every published item whose page shows `item` on the other side of the 政策解读 relation, uncapped, when `item`
 * is a policy: the 解读 that may name it (a superset: found through the search index, whose matches hold every
 * part of the 文号 or title, as LIKE would find the whole of it). Asked when the item is published, withdrawn or
 * marked repealed, so that those pages are rendered anew (web/page-store.ts). 'all' for a 解读: the policies
 * that list it are those whose title or 文号 its text holds anywhere (namingAny), which no index finds; and
 * 'all' when too many items hold the policy's title for the search to be worth it.
 */
export async function relatedItemIds(db: Executor, kind: DatabaseKind, item: ItemRow): Promise<number[] | 'all'> {
  const columns = await interpretationColumnIds(db)
  if (columns.includes(item.column_id)) return 'all'
  if (columns.length === 0) return []
  const phrases = [
    ...(item.doc_number ? numberSpellings(item.doc_number) : []),
    ...(item.title.length >= 6 ? [item.title] : []),
  ]
  const ids = new Set<number>()
  for (const phrase of phrases) {
    const hits = await searchItems(db, kind, phrase, {}, 'date', relatedSearchLimit + 1)
    if (hits.length > relatedSearchLimit) return 'all'
    for (const h of hits) ids.add(h.id)
  }
  ids.delete(item.id)
  return publishedItemsOf(db, [...ids], columns)
}

// Every policy's page asks which 解读 name it. Asked of the database, that is a substring scan of every
// interpretation of the region (LIKE '%…%' on title and body) on each uncached page, growing with the
// region (issue #15: item pages at 0.03× /healthz with 5% of the items in 解读 columns). The published
// interpretations are read once per site generation instead and kept as one text, newest first, which
// one indexOf per phrase searches. Any publication, withdrawal or column change moves the generation,
// which is read (one indexed row) on every use, so the list is never older than the page that shows it.
type Interpretations = {
  columns: number[]
  /** Newest first. */
  rows: ItemRow[]
  /** Each row's title and body as LIKE compares them on this engine, each followed by a NUL. */
  text: string
  /** Where each row's title starts in `text`. */
  starts: number[]
}
const loaded = new WeakMap<Executor, { generation: number; list: Promise<Interpretations> }>()

async function interpretationsOf(db: Executor, kind: DatabaseKind): Promise<Interpretations> {
  const generation = await siteGeneration(db)
  const held = loaded.get(db)
  if (held && held.generation >= generation) return held.list
  const list = (async () => {
    const columns = await interpretationColumnIds(db)
    const fold = likeFold(kind)
    const rows = (await publishedItemsIn(db, columns)).sort(newestFirst)
    const starts: number[] = []
    let length = 0
    const parts = rows.map((row) => {
      const part = `${fold(row.title)}\u0000${fold(row.body)}\u0000`
      starts.push(length)
      length += part.length
      return part
    })
    return { columns, rows, text: parts.join(''), starts }
  })()
  loaded.set(db, { generation, list })
  // A failed read is not kept: the next page reads again.
  list.catch(() => loaded.get(db)?.list === list && loaded.delete(db))
  return list
}

// SQLite's LIKE ignores the case of ASCII letters only; PostgreSQL's LIKE ignores none (stack.md pitfall 11).
const likeFold = (kind: DatabaseKind) =>
  kind === 'sqlite' ? (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : (s: string) => s

const newestFirst = (a: ItemRow, b: ItemRow) =>
  a.published_at === b.published_at ? b.id - a.id : (b.published_at ?? '') < (a.published_at ?? '') ? -1 : 1

/** The row of `text` a position falls in: the last start at or before it. */
function rowAt(starts: readonly number[], position: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= position) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** The interpretations whose title or body holds one of the phrases, as `LIKE '%phrase%'` finds them, newest first. */
function namingAny(list: Interpretations, phrases: readonly string[], kind: DatabaseKind): ItemRow[] {
  const found = new Set<number>()
  // A phrase never holds the NUL that ends each title and body, so no match runs across two of them.
  for (const phrase of phrases.map(likeFold(kind)).filter((p) => p && !p.includes('\u0000'))) {
    let at = list.text.indexOf(phrase)
    while (at >= 0) {
      const row = rowAt(list.starts, at)
      found.add(row)
      at = row + 1 < list.starts.length ? list.text.indexOf(phrase, list.starts[row + 1]) : -1
    }
  }
  return [...found].sort((a, b) => a - b).map((row) => list.rows[row]!)
}
