import { sql } from 'kysely'
import type { Deps } from '../deps.ts'
import { clampPage, offsetOf, pageSize } from '../paging.ts'
import type { Executor } from '../storage/database.ts'
import { labelOfDecision, labelOfPower } from './activity.service.ts'
import type { RecordKind } from './activity.service.ts'

// The agency's article-20 records as the console lists them: each kind 50 a page with its total,
// narrowed by year and by words of the matter's name, so that no record is out of reach.

/** What narrows every list of the page: a calendar year, words of the name or matter. */
export type ActivityListFilter = { year?: number | undefined; text?: string | undefined }

/** One page of one kind's records as table rows (in the columns of `recordKinds`), with the total. */
export type ActivityTable = { rows: string[][]; total: number; page: number }

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)
const contains = (column: string, text: string) =>
  sql<boolean>`${sql.ref(column)} like ${`%${escapeLike(text)}%`} escape '\\'`
const yuan = (fen: number) => (fen / 100).toFixed(2)

/** One page of rows turned into cells, with the total `count` gives. */
async function paged<R>(
  count: () => Promise<{ n: number | string }>,
  rows: (limit: number, offset: number) => Promise<R[]>,
  page: number,
  cells: (r: R) => string[],
): Promise<ActivityTable> {
  const total = Number((await count()).n)
  const p = clampPage(page, total)
  return { rows: (await rows(pageSize, offsetOf(p))).map(cells), total, page: p }
}

function powersOf(db: Executor, agencyId: number, f: ActivityListFilter) {
  let q = db.selectFrom('power_items').where('agency_id', '=', agencyId)
  // A power counts in a year when it was in force on some day of it (生效 on or before its end, not lapsed before its start).
  if (f.year)
    q = q
      .where('valid_from', '<=', `${f.year}-12-31`)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', `${f.year}-01-01`)]))
  if (f.text) q = q.where(contains('name', f.text))
  return q
}

/** The dates of a calendar year, for a `YYYY-MM-DD` column. */
const yearRange = (year: number) => [`${year}-01-01`, `${year}-12-31`] as const

function decisionsOf(db: Executor, agencyId: number, f: ActivityListFilter) {
  let q = db.selectFrom('activity_decisions').where('agency_id', '=', agencyId)
  if (f.year) q = q.where('decided_on', '>=', yearRange(f.year)[0]).where('decided_on', '<=', yearRange(f.year)[1])
  if (f.text) q = q.where(contains('matter', f.text))
  return q
}

function feesOf(db: Executor, agencyId: number, f: ActivityListFilter) {
  let q = db.selectFrom('fee_collections').where('agency_id', '=', agencyId)
  if (f.year) q = q.where('collected_on', '>=', yearRange(f.year)[0]).where('collected_on', '<=', yearRange(f.year)[1])
  if (f.text) q = q.where(contains('item', f.text))
  return q
}

function procurementOf(db: Executor, agencyId: number, f: ActivityListFilter) {
  let q = db.selectFrom('procurement_projects').where('agency_id', '=', agencyId)
  if (f.year)
    q = q.where('contracted_on', '>=', yearRange(f.year)[0]).where('contracted_on', '<=', yearRange(f.year)[1])
  if (f.text) q = q.where(contains('name', f.text))
  return q
}

/** Each kind's page of records, newest first, filtered; `pages` says which page of each. */
export async function activityTablesOf(
  deps: Deps,
  agencyId: number,
  f: ActivityListFilter = {},
  pages: Partial<Record<RecordKind, number>> = {},
): Promise<Record<RecordKind, ActivityTable>> {
  const db = deps.db
  const countAll = sql<number | string>`count(*)`.as('n')
  const decisions = () => decisionsOf(db, agencyId, f)
  const fees = () => feesOf(db, agencyId, f)
  const procurement = () => procurementOf(db, agencyId, f)
  return {
    powers: await paged(
      () => powersOf(db, agencyId, f).select(countAll).executeTakeFirstOrThrow(),
      (limit, offset) =>
        powersOf(db, agencyId, f)
          .selectAll()
          .orderBy('valid_from', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
      pages.powers ?? 1,
      (p) => [labelOfPower(p.type), p.name, p.valid_from, p.valid_to ?? ''],
    ),
    decisions: await paged(
      () => decisions().select(countAll).executeTakeFirstOrThrow(),
      (limit, offset) =>
        decisions()
          .selectAll()
          .orderBy('decided_on', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
      pages.decisions ?? 1,
      (d) => [labelOfDecision(d.kind), d.decided_on, d.matter, String(d.count)],
    ),
    fees: await paged(
      () => fees().select(countAll).executeTakeFirstOrThrow(),
      (limit, offset) =>
        fees().selectAll().orderBy('collected_on', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      pages.fees ?? 1,
      (r) => [r.collected_on, r.item, yuan(Number(r.amount_fen))],
    ),
    procurement: await paged(
      () => procurement().select(countAll).executeTakeFirstOrThrow(),
      (limit, offset) =>
        procurement()
          .selectAll()
          .orderBy('contracted_on', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
      pages.procurement ?? 1,
      (r) => [r.contracted_on, r.name, yuan(Number(r.amount_fen))],
    ),
  }
}
