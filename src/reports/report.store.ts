import type { Selectable } from 'kysely'
import type { AnnualReportTable, Executor } from '../storage/database.ts'
import { annualReportSchema } from './report.ts'
import type { AnnualReport } from './report.ts'

export type ReportRow = Selectable<AnnualReportTable>
export type StoredReport = Omit<ReportRow, 'data'> & { report: AnnualReport }

const toStored = (row: ReportRow): StoredReport => {
  const { data, ...rest } = row
  return { ...rest, report: annualReportSchema.parse(JSON.parse(data)) as AnnualReport }
}

export async function insertReport(
  db: Executor,
  row: Omit<ReportRow, 'id' | 'data' | 'review_round' | 'editors' | 'findings' | 'cleared_findings'> & {
    report: AnnualReport
  },
): Promise<number> {
  const { report, ...rest } = row
  const r = await db
    .insertInto('annual_reports')
    .values({ ...rest, data: JSON.stringify(report) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export async function updateReportRow(
  db: Executor,
  id: number,
  changes: Partial<Omit<ReportRow, 'id' | 'data'>> & { report?: AnnualReport },
): Promise<void> {
  const { report, ...rest } = changes
  await db
    .updateTable('annual_reports')
    .set({ ...rest, ...(report ? { data: JSON.stringify(report) } : {}) })
    .where('id', '=', id)
    .execute()
}

export async function findReportById(db: Executor, id: number): Promise<StoredReport | undefined> {
  const row = await db.selectFrom('annual_reports').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toStored(row)
}

export async function listReportsOfAgency(db: Executor, agencyId: number): Promise<StoredReport[]> {
  const rows = await db
    .selectFrom('annual_reports')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .orderBy('year', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map(toStored)
}

/** The agency's unpublished report of a year: a draft, or one in review or approved. */
export async function findOpenReport(db: Executor, agencyId: number, year: number): Promise<StoredReport | undefined> {
  const row = await db
    .selectFrom('annual_reports')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('year', '=', year)
    .where('status', 'in', ['draft', 'in_review', 'approved'])
    .executeTakeFirst()
  return row && toStored(row)
}

/** The report of a year that counts: the current published version, else an imported one. */
export async function findReportOfRecord(
  db: Executor,
  agencyId: number,
  year: number,
): Promise<StoredReport | undefined> {
  const row = await db
    .selectFrom('annual_reports')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('year', '=', year)
    .where('status', 'in', ['published', 'imported'])
    .orderBy('status', 'desc')
    .orderBy('version', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && toStored(row)
}

export async function listPublishedReports(db: Executor): Promise<(StoredReport & { agency_name: string })[]> {
  const rows = await db
    .selectFrom('annual_reports')
    .innerJoin('agencies', 'agencies.id', 'annual_reports.agency_id')
    .selectAll('annual_reports')
    .select('agencies.name as agency_name')
    .where('annual_reports.status', 'in', ['published', 'superseded'])
    .orderBy('annual_reports.year', 'desc')
    .orderBy('agencies.name')
    .orderBy('annual_reports.version', 'desc')
    .execute()
  return rows.map((r) => ({ ...toStored(r), agency_name: r.agency_name }))
}

export async function listReportsOfYear(db: Executor, year: number): Promise<StoredReport[]> {
  const rows = await db
    .selectFrom('annual_reports')
    .selectAll()
    .where('year', '=', year)
    .where('status', 'in', ['published', 'imported', 'draft'])
    .execute()
  return rows.map(toStored)
}
