import { sql } from 'kysely'
import type { Executor } from '../storage/database.ts'
import { formats } from './report-format.ts'
import type { FormatId } from './report-format.ts'
import type { Cell } from './report.ts'
import { applicantCategories } from './report-records.ts'
import type {
  ApplicationRecord,
  ApplicantCategory,
  DocumentRecord,
  OutcomeCode,
  ProcessingFeeRecord,
} from './report-records.ts'
import { formatShanghai } from '../clock.ts'

// Section 三 counted in the database: one scan of the year's relevant applications, grouped by
// category and outcome, with the same definitions as report-compute.ts (law-and-format.md §8.2).
// A property test proves both give the same table; this path serves a whole region's millions.

type Group = {
  category: string
  outcome: string | null
  new_: number
  carried_in: number
  concluded: number
  carried_out: number
}

export async function countApplicationsSql(
  db: Executor,
  agencyIds: readonly number[],
  year: number,
  format: FormatId,
): Promise<Record<string, Cell[]>> {
  const rows: Record<string, Cell[]> = Object.fromEntries(
    formats[format].applicationRows.map((r) => [r.code, [0, 0, 0, 0, 0, 0, 0]]),
  )
  if (agencyIds.length === 0) return rows
  const start = `${year}-01-01`
  const end = `${year}-12-31`
  const result = await sql<Group>`
    select applicant_category as category, outcome,
      sum(case when received_on >= ${start} and received_on <= ${end} then 1 else 0 end) as new_,
      sum(case when received_on < ${start} and (concluded_on is null or concluded_on >= ${start})
        then 1 else 0 end) as carried_in,
      sum(case when concluded_on >= ${start} and concluded_on <= ${end} and outcome is not null
        then 1 else 0 end) as concluded,
      sum(case when concluded_on is null or concluded_on > ${end} then 1 else 0 end) as carried_out
    from applications
    where agency_id in (${sql.join(agencyIds)})
      and received_on <= ${end} and (concluded_on is null or concluded_on >= ${start})
    group by applicant_category, outcome`.execute(db)
  const add = (code: string, col: number, n: number) => {
    const row = rows[code]!
    row[col] = (row[col] ?? 0) + n
    row[6] = (row[6] ?? 0) + n
  }
  for (const g of result.rows) {
    const col = applicantCategories.indexOf(g.category as ApplicantCategory)
    if (col < 0) continue
    add('NEW', col, Number(g.new_))
    add('CARRIED_IN', col, Number(g.carried_in))
    add('CARRIED_OUT', col, Number(g.carried_out))
    const concluded = Number(g.concluded)
    if (concluded > 0 && g.outcome) {
      add(format === '2019' && g.outcome.startsWith('OTHER_') ? 'OTHER' : g.outcome, col, concluded)
      add('TOTAL', col, concluded)
    }
  }
  return rows
}

/** The applications an agency-year's report counts, as records for the pure computation. */
export async function loadApplicationRecords(
  db: Executor,
  agencyId: number,
  year: number,
): Promise<ApplicationRecord[]> {
  const rows = await db
    .selectFrom('applications')
    .select(['number', 'applicant_category', 'received_on', 'concluded_on', 'outcome'])
    .where('agency_id', '=', agencyId)
    .where('received_on', '<=', `${year}-12-31`)
    .where((eb) => eb.or([eb('concluded_on', 'is', null), eb('concluded_on', '>=', `${year}-01-01`)]))
    .orderBy('received_on')
    .orderBy('number')
    .execute()
  return rows.map((r) => ({
    id: r.number,
    applicantCategory: r.applicant_category as ApplicantCategory,
    receivedOn: r.received_on,
    concludedOn: r.concluded_on,
    outcome: r.outcome as OutcomeCode | null,
  }))
}

/** The information-processing fees the agency's applicants paid in `year` (the fee_paid events), for section 六. */
export async function loadProcessingFeeRecords(
  db: Executor,
  agencyId: number,
  year: number,
): Promise<ProcessingFeeRecord[]> {
  const rows = await db
    .selectFrom('application_events as e')
    .innerJoin('applications as a', 'a.id', 'e.application_id')
    .select(['a.number', 'e.on_date', 'e.detail'])
    .where('a.agency_id', '=', agencyId)
    .where('e.kind', '=', 'fee_paid')
    .where('e.on_date', '>=', `${year}-01-01`)
    .where('e.on_date', '<=', `${year}-12-31`)
    .orderBy('e.on_date')
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({
    id: r.number,
    paidOn: r.on_date,
    amountYuan: Number((JSON.parse(r.detail) as { amount?: unknown }).amount ?? 0),
  }))
}

/** 规章 and 行政规范性文件 published by the agency, as document records for report section 二(一). */
export async function loadDocumentRecords(db: Executor, agencyId: number): Promise<DocumentRecord[]> {
  const rows = await db
    .selectFrom('items')
    .select(['id', 'doc_kind', 'written_on', 'formed_on', 'published_at', 'repealed_on', 'lapsed_on', 'status'])
    .where('agency_id', '=', agencyId)
    .where('doc_kind', 'in', ['rule', 'normative'])
    .where('status', 'in', ['published', 'withdrawn'])
    .execute()
  return rows.map((r) => ({
    id: `item-${r.id}`,
    docKind: r.doc_kind as DocumentRecord['docKind'],
    // 制发: the date the document was made (成文日期), else the date it was formed.
    issuedOn: r.written_on ?? r.formed_on,
    publishedOn: r.published_at ? formatShanghai(r.published_at).slice(0, 10) : null,
    repealedOn: r.repealed_on,
    // A withdrawn document is no longer public; it is not counted in force after its withdrawal.
    lapsedOn: r.lapsed_on,
  }))
}
