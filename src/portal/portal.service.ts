import type { Agency } from '../agencies/agency.ts'
import { findAgencyById, listAgencies } from '../agencies/agency.store.ts'
import type { Deps } from '../deps.ts'
import {
  findAttachment,
  findColumn,
  findItem,
  listAttachments,
  listCatalogue,
  listColumns,
  listPublicItems,
  listPublishedItemIds,
  nextPublishedItemId,
  saveShownBody,
} from '../disclosures/disclosure.store.ts'
import { shownBody, shownBodyKey } from '../disclosures/rich-text.ts'
import type { genres } from '../disclosures/disclosure.ts'

type Genre = (typeof genres)[number]
import type {
  CatalogueFilter,
  CatalogueKey,
  CataloguePosition,
  ColumnRow,
  ItemRow,
} from '../disclosures/disclosure.store.ts'
import { AppError } from '../errors.ts'
import { findReportById, listPublishedReports } from '../reports/report.store.ts'
import type { StoredReport } from '../reports/report.store.ts'
import { countCap, countSearchItems, searchItems } from '../search/search.store.ts'
import { relatedOf } from './interpretations.ts'
import { catalogueCountCap, countCatalogue, findPublishedByNumber, latestInColumns } from './portal.store.ts'
import { numberSpellings } from './search-query.ts'

// What the public portal reads: only published content, through the modules' stores.

export const portalAgencies = (deps: Deps): Promise<Agency[]> => listAgencies(deps.db)

/** A column and its latest published items, newest first, for its Atom feed. */
export async function columnFeedOf(deps: Deps, id: number): Promise<{ column: ColumnRow; items: ItemRow[] }> {
  const column = await findColumn(deps.db, id)
  if (!column) throw new AppError('not_found', '栏目不存在')
  const items = (await listPublicItems(deps.db, id, 20)).filter((i) => i.status === 'published')
  return { column, items }
}

/** How many URLs one sitemap file lists at most (the sitemaps.org protocol allows 50,000). */
export const sitemapSize = 50_000
// Ids are read and rendered this many at a time, the event loop given back between slices (a whole file of 50,000
// is some 50 ms of work).
const sitemapSlice = 5_000

/**
 * The sitemap index: sitemap 0 lists the region's pages, agencies, columns and reports; sitemap n ≥ 1 the published
 * items with ids in ((n−1)·size, n·size]. Id ranges never shift as items are added, so each file stays what search
 * engines fetched until an item in its range is published or withdrawn, and the newest items are always in the last.
 * Ranges without a published item are left out, found by one index seek each.
 */
export async function sitemapNumbersOf(deps: Deps, size = sitemapSize): Promise<number[]> {
  const numbers = [0]
  for (let id = await nextPublishedItemId(deps.db, 0); id !== undefined;) {
    const n = Math.ceil(id / size)
    numbers.push(n)
    id = await nextPublishedItemId(deps.db, n * size)
  }
  return numbers
}

/**
 * The paths one sitemap lists (see sitemapNumbersOf), at most `size`, in slices of a few thousand: the caller renders
 * each slice, and the event loop is given back between them.
 */
export async function* sitemapPathsOf(deps: Deps, n: number, size = sitemapSize): AsyncGenerator<string[]> {
  if (n === 0) {
    yield await regionSitemapPaths(deps)
    return
  }
  const end = n * size
  for (let from = (n - 1) * size; from < end;) {
    const ids = await listPublishedItemIds(deps.db, from, end, sitemapSlice)
    if (ids.length > 0) yield ids.map((id) => `/items/${id}`)
    if (ids.length < sitemapSlice) return
    from = ids.at(-1)!
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

/** Home and its entry points, agencies, columns, reports: every public page but the items'. */
async function regionSitemapPaths(deps: Deps): Promise<string[]> {
  const paths: string[] = ['/', '/guide', '/rules', '/statutory', '/catalogue', '/apply', '/reports']
  for (const a of await listAgencies(deps.db)) {
    paths.push(`/agencies/${a.id}`)
    for (const c of await listColumns(deps.db, a.id)) paths.push(`/columns/${c.id}`)
  }
  paths.push(...(await listPublishedReports(deps.db)).map((r) => `/reports/${r.id}`))
  return paths
}

// A catalogue page shows 50 items; one more is read to know whether there is a next page.
const catalogueRows = 50

export type AgencyCatalogueFilter = {
  column?: number | undefined
  genre?: Genre | undefined
  year?: number | undefined
}
export type RegionCatalogueFilter = {
  agency?: number | undefined
  genre?: Genre | undefined
  year?: number | undefined
}

async function agencyOrThrow(deps: Deps, id: number): Promise<Agency> {
  const agency = await findAgencyById(deps.db, id)
  if (!agency) throw new AppError('not_found', '机关不存在')
  return agency
}

/** An agency's portal home: its column tree. */
export async function agencyPortalOf(deps: Deps, id: number): Promise<{ agency: Agency; columns: ColumnRow[] }> {
  const agency = await agencyOrThrow(deps, id)
  return { agency, columns: await listColumns(deps.db, id) }
}

export type CataloguePage = {
  items: ItemRow[]
  /** Where the page before this one ends (上一页), unless this is the first page. */
  newer: CatalogueKey | undefined
  /** Where the next page starts (下一页), when there is one. */
  older: CatalogueKey | undefined
  /** How many items the filter finds, counted up to catalogueCountCap. */
  total: number
  totalCapped: boolean
}

const keyOf = (i: ItemRow | undefined): CatalogueKey | undefined =>
  i?.published_at ? { published_at: i.published_at, id: i.id } : undefined

/** One page of a catalogue by keyset; a page asked for before the first one is the first one. */
async function cataloguePage(deps: Deps, filter: CatalogueFilter, at: CataloguePosition): Promise<CataloguePage> {
  const total = await countCatalogue(deps.db, filter)
  const counted = { total, totalCapped: total >= catalogueCountCap }
  if (at.before) {
    const rows = await listCatalogue(deps.db, filter, catalogueRows + 1, { before: at.before })
    if (rows.length > catalogueRows) {
      const items = rows.slice(1)
      return { items, newer: keyOf(items[0]), older: keyOf(items.at(-1)), ...counted }
    }
  }
  const after = at.before ? undefined : at.after
  const rows = await listCatalogue(deps.db, filter, catalogueRows + 1, { after })
  const items = rows.slice(0, catalogueRows)
  return {
    items,
    newer: after ? keyOf(items[0]) : undefined,
    older: rows.length > catalogueRows ? keyOf(items.at(-1)) : undefined,
    ...counted,
  }
}

/** One page of an agency's catalogue, with its columns for the filter. */
export async function agencyCatalogueOf(deps: Deps, id: number, f: AgencyCatalogueFilter, at: CataloguePosition) {
  const agency = await agencyOrThrow(deps, id)
  const columns = await listColumns(deps.db, id)
  // A column is one agency's: filtered by its own column, the agency goes without saying, and saying it made SQLite
  // read every row of the column to check it (a column of 10,000 items, 260 ms cold at a million items; issue #15).
  // A column of another agency (an edited link) filters nothing.
  const column = columns.some((c) => c.id === f.column) ? f.column : undefined
  const filter = column ? { columnId: column } : { agencyId: id }
  const page = await cataloguePage(deps, { ...filter, genre: f.genre, year: f.year }, at)
  return { agency, columns, ...page }
}

/** One page of the whole region's catalogue, with the agencies for the filter. */
export async function regionCatalogueOf(deps: Deps, f: RegionCatalogueFilter, at: CataloguePosition) {
  const agencies = await listAgencies(deps.db)
  const page = await cataloguePage(deps, { agencyId: f.agency, genre: f.genre, year: f.year }, at)
  return { agencies, ...page }
}

export type ColumnSection = { column: ColumnRow; items: ItemRow[] }

/**
 * A column's public items (published, or withdrawn with their notice), newest first; a column with
 * sub-columns (法定主动公开内容) also lists each sub-column with its latest items, and an agency's
 * 政府信息公开年报 column lists the agency's published reports.
 */
export async function publicColumnOf(deps: Deps, id: number) {
  const column = await findColumn(deps.db, id)
  if (!column) throw new AppError('not_found', '栏目不存在')
  // Independent reads, sent together: on PostgreSQL each is a round trip (issue #15).
  const [agency, columns, items, reports] = await Promise.all([
    findAgencyById(deps.db, column.agency_id),
    listColumns(deps.db, column.agency_id),
    listPublicItems(deps.db, id),
    column.class === 'report' ? listPublishedReports(deps.db) : [],
  ])
  const children = columns.filter((c) => c.parent_id === column.id)
  const sections: ColumnSection[] = await Promise.all(
    children.map(async (child) => ({ column: child, items: await latestInColumns(deps.db, [child.id], 5) })),
  )
  return { column, agency, items, sections, reports: reports.filter((r) => r.agency_id === column.agency_id) }
}

/** An attachment of a published item; nothing of an item not (or no longer) published. */
export async function publicAttachmentOf(deps: Deps, itemId: number, attachmentId: number) {
  const item = await findItem(deps.db, itemId)
  const row = item?.status === 'published' ? await findAttachment(deps.db, itemId, attachmentId) : undefined
  if (!row) throw new AppError('not_found', '附件不存在')
  return row
}

export type PublicItem = {
  item: ItemRow
  agency: Agency | undefined
  column: ColumnRow | undefined
  attachments: Awaited<ReturnType<typeof listAttachments>>
  /** The other side of the 政策解读 relation: the policies it interprets, or its interpretations. */
  related: Awaited<ReturnType<typeof relatedOf>>
  /** The body's HTML as the page shows it; none for a withdrawn item. */
  bodyHtml: string
}

/** A published item, or a withdrawn one (its page shows the withdrawal notice and no attachments). */
export async function publicItemOf(deps: Deps, id: number): Promise<PublicItem> {
  const item = await findItem(deps.db, id)
  if (!item || (item.status !== 'published' && item.status !== 'withdrawn'))
    throw new AppError('not_found', '信息不存在')
  const published = item.status === 'published'
  // Independent reads, sent together: on PostgreSQL each is a round trip (issue #15).
  const [agency, column, attachments, related] = await Promise.all([
    findAgencyById(deps.db, item.agency_id),
    findColumn(deps.db, item.column_id),
    published ? listAttachments(deps.db, item.id) : [],
    published ? relatedOf(deps.db, deps.kind, item) : { kind: 'interpretations' as const, items: [] },
  ])
  return { item, agency, column, attachments, related, bodyHtml: published ? await pageBodyOf(deps, item) : '' }
}

/**
 * The item's body as its page shows it: kept on the row once made, for as long as its key (the body's
 * hash and the sanitiser's version) matches, so that a render does not parse the HTML again (issue #15:
 * the sanitiser was about 16 % of an item page's CPU). A body edited by any path, or a new sanitiser,
 * misses its key and is made again, then kept.
 */
async function pageBodyOf(deps: Deps, item: ItemRow): Promise<string> {
  const key = shownBodyKey(item.body)
  if (item.shown_body_key === key && item.shown_body !== null) return item.shown_body
  const html = shownBody(item.body)
  await saveShownBody(deps.db, item.id, html, key)
  return html
}

/** Every published report of the region, corrected versions with their history. */
export const publicReportsOf = (deps: Deps) => listPublishedReports(deps.db)

/** A published (or superseded) report; drafts and reports under review are never served publicly. */
export async function publishedReportOf(deps: Deps, id: number): Promise<StoredReport> {
  const stored = await findReportById(deps.db, id)
  if (!stored || (stored.status !== 'published' && stored.status !== 'superseded'))
    throw new AppError('not_found', '年度报告不存在')
  return stored
}

export type SearchQuery = {
  q: string
  agency?: number | undefined
  year?: number | undefined
  genre?: Genre | undefined
  sort: 'relevance' | 'date'
  page: number
}

// A search page shows 20 items; one more is asked for to know whether there is a next page.
const searchRows = 20

/** One page of the region's search: the items found, the agencies for the filter, whether more follow. */
export async function searchPortal(deps: Deps, s: SearchQuery) {
  const filter = { agencyId: s.agency, year: s.year, genre: s.genre }
  const offset = (s.page - 1) * searchRows
  const hits = s.q ? await searchItems(deps.db, deps.kind, s.q, filter, s.sort, searchRows + 1, offset) : []
  const found = await Promise.all(hits.slice(0, searchRows).map((h) => findItem(deps.db, h.id)))
  const items = found.filter((i): i is ItemRow => Boolean(i))
  const agencies = await listAgencies(deps.db)
  const total = s.q ? await countSearchItems(deps.db, deps.kind, s.q, filter) : 0
  // An item is found by its 索引号 or 文号 as typed, which full-text search alone would miss (the
  // 索引号 is not in the index, and a 文号's brackets are written several ways).
  const byNumber = s.q && s.page === 1 ? await findPublishedByNumber(deps.db, numberSpellings(s.q)) : []
  return { items, agencies, more: hits.length > searchRows, total, totalCapped: total >= countCap, byNumber }
}
