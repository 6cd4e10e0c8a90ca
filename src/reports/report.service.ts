import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { findAgencyById, findRegion, listAgencies } from '../agencies/agency.store.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import type { Executor } from '../storage/database.ts'
import { AppError } from '../errors.ts'
import { importReport } from './import/read-file.ts'
import { checkReport, hasErrors } from './report-checks.ts'
import type { CheckResult } from './report-checks.ts'
import { computeReport, withFeeStatement } from './report-compute.ts'
import { cellLabel, cellRef, cellValue } from './report-cells.ts'
import { describeRecords } from './record-descriptions.ts'
import type { RecordDescription } from './record-descriptions.ts'
import { appealsScopeOf } from './report-settings.service.ts'
import { formatForYear } from './report-format.ts'
import { noRecords } from './report-records.ts'
import type { AgencyYearRecords } from './report-records.ts'
import { rollUpRegion } from './report-region.ts'
import { signSubject, submitSubject } from '../reviews/review.service.ts'
import type { Decision } from '../reviews/review.service.ts'
import { editedBy, editorsOf } from '../reviews/review.ts'
import { loadApplicationRecords, loadDocumentRecords, loadProcessingFeeRecords } from './report-count.sql.ts'
import { loadAppealRecords } from '../applications/appeal.service.ts'
import { loadActivityRecords } from '../activities/activity.service.ts'
import type { RegionReport } from './report-region.ts'
import type { AnnualReport, Sections } from './report.ts'
import {
  findOpenReport,
  findReportById,
  findReportOfRecord,
  insertReport,
  listReportsOfAgency,
  listReportsOfYear,
  updateReportRow,
} from './report.store.ts'
import type { StoredReport } from './report.store.ts'
import { publicContentChanged } from '../portal/public-content.ts'
import { refuseStandingReportFindings, refuseUnscannedPublication, rescanReport } from './report-scan.service.ts'

type Staff = Actor & { id: number; agencyId: number }

/**
 * The records behind an agency-year: the applications table, the 规章 and 行政规范性文件 among the
 * published items, the appeals, and the article-20 activity records (list of powers, decisions,
 * fees, procurement).
 */
export async function recordsOf(deps: Deps, agencyId: number, year: number): Promise<AgencyYearRecords> {
  return {
    ...noRecords,
    applications: await loadApplicationRecords(deps.db, agencyId, year),
    processingFees: await loadProcessingFeeRecords(deps.db, agencyId, year),
    documents: await loadDocumentRecords(deps.db, agencyId),
    appeals: await loadAppealRecords(deps.db, agencyId),
    ...(await loadActivityRecords(deps.db, agencyId)),
  }
}

/** The agency's report of a year as a draft computed afresh from the records; an existing draft keeps its narrative. */
export async function computeDraft(deps: Deps, actor: Staff, year: number): Promise<number> {
  const agency = await findAgencyById(deps.db, actor.agencyId)
  if (!agency) throw new AppError('not_found', '所属机关不存在')
  const currentYear = Number(deps.clock.now().toLocaleString('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }))
  if (year < 2019 || year > currentYear)
    throw new AppError('invalid_input', `报告年度应在 2019 至 ${currentYear} 年之间`, {
      year: `报告年度应在 2019 至 ${currentYear} 年之间`,
    })
  const { report } = computeReport(await recordsOf(deps, agency.id, year), {
    year,
    agency: agency.name,
    format: formatForYear(year),
    appealsScope: await appealsScopeOf(deps.db),
  })
  return deps.db.transaction().execute(async (trx) => {
    const now = isoNow(deps.clock)
    const draft = await findOpenReport(trx, agency.id, year)
    if (draft && draft.status !== 'draft') {
      throw new AppError('invalid_transition', `${year}年度报告正在审核或待发布，审核退回后才能重新计算`)
    }
    if (draft) {
      // The narrative is the drafters'; only the fee statement leading section 六 follows the records.
      report.sections = {
        ...draft.report.sections,
        other: withFeeStatement(draft.report.sections.other, report.sections.other),
      }
      await updateReportRow(trx, draft.id, { report, updated_at: now })
      await appendAudit(deps, trx, actor, {
        action: 'report.recompute',
        objectType: 'annual_report',
        objectId: draft.id,
        result: 'success',
        detail: { year },
      })
      return draft.id
    }
    const id = await insertReport(trx, {
      agency_id: agency.id,
      year,
      format: report.format,
      source: 'computed',
      status: 'draft',
      version: 0,
      report,
      source_name: null,
      override_reason: null,
      supersedes_id: null,
      created_at: now,
      created_by: actor.id,
      updated_at: now,
      published_at: null,
      published_by: null,
    })
    await appendAudit(deps, trx, actor, {
      action: 'report.create',
      objectType: 'annual_report',
      objectId: id,
      result: 'success',
      detail: { year },
    })
    return id
  })
}

/** A report of the actor's own agency; another agency's report is not found (AC-02). */
export async function findOwnReport(
  deps: Deps,
  actor: Staff,
  id: number,
  db: Executor = deps.db,
): Promise<StoredReport> {
  const stored = await findReportById(db, id)
  if (!stored || stored.agency_id !== actor.agencyId) throw new AppError('not_found', '年度报告不存在')
  return stored
}

export const listOwnReports = (deps: Deps, actor: Staff) => listReportsOfAgency(deps.db, actor.agencyId)

/** Checks a stored report, with the agency's report of the year before for X1–X3. */
export async function checkStored(deps: Deps, stored: StoredReport): Promise<CheckResult> {
  const previous = await findReportOfRecord(deps.db, stored.agency_id, stored.year - 1)
  return checkReport(stored.report, previous?.report)
}

export async function saveNarrative(deps: Deps, actor: Staff, id: number, sections: Sections): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const stored = await findOwnReport(deps, actor, id, trx)
    if (stored.status !== 'draft')
      throw new AppError('invalid_transition', '已发布的年度报告不能修改；如需更正，请重新生成草稿并发布更正版本')
    await updateReportRow(trx, id, {
      report: { ...stored.report, sections },
      ...editedBy(stored, actor.id),
      updated_at: isoNow(deps.clock),
    })
    await appendAudit(deps, trx, actor, {
      action: 'report.narrative',
      objectType: 'annual_report',
      objectId: id,
      result: 'success',
    })
  })
  await rescanReport(deps, id)
}

/** The review path of a report, for the shared review steps (reviews module). */
const reportSubject = (deps: Deps, trx: Executor, stored: StoredReport) => ({
  objectType: 'annual_report',
  auditPrefix: 'report' as const,
  noun: '报告',
  id: stored.id,
  status: stored.status,
  round: stored.review_round,
  agencyId: stored.agency_id,
  authorId: stored.created_by,
  editorIds: editorsOf(stored.editors),
  update: (changes: { status: string; review_round?: number }) =>
    updateReportRow(trx, stored.id, { ...changes, updated_at: isoNow(deps.clock) }),
})

/** The drafter hands the draft to the first review level (先审后发); it cannot be edited while in review. */
export async function submitForReview(deps: Deps, actor: Staff, id: number): Promise<void> {
  // The scan runs first, so every reviewer sees its findings (report-scan.service.ts).
  await findOwnReport(deps, actor, id)
  await rescanReport(deps, id)
  await deps.db
    .transaction()
    .execute(async (trx) =>
      submitSubject(deps, trx, actor, reportSubject(deps, trx, await findOwnReport(deps, actor, id, trx))),
    )
}

/**
 * A reviewer signs the waiting level: approved through every level, the report waits for the office head; returned, it
 * is a draft again.
 */
export async function reviewReport(
  deps: Deps,
  actor: Staff,
  reviewerLevel: number | null,
  id: number,
  decision: Decision,
): Promise<void> {
  if (decision.decision === 'approved') await refuseStandingReportFindings(deps, actor, id)
  await deps.db
    .transaction()
    .execute(async (trx) =>
      signSubject(
        deps,
        trx,
        actor,
        reviewerLevel,
        reportSubject(deps, trx, await findOwnReport(deps, actor, id, trx)),
        decision,
      ),
    )
}

/**
 * Publishes a report that passed every review level (law-and-format.md §8.3: blocked while an
 * R1–R5 error stands, unless the office head overrides it with a recorded reason). A version
 * already published for the year is superseded, and stays visible as history.
 */
export async function publishReport(
  deps: Deps,
  actor: Staff,
  id: number,
  overrideReason: string | undefined,
): Promise<void> {
  const stored = await findOwnReport(deps, actor, id)
  if (stored.status !== 'approved')
    throw new AppError('invalid_transition', '报告须经各级审核通过后才能发布（先审后发）')
  const check = await checkStored(deps, stored)
  const reason = overrideReason?.trim()
  if (hasErrors(check) && !reason) {
    throw new AppError('invalid_transition', '报告存在勾稽关系错误，不能发布；如确需发布，请由公开办负责人填写理由', {
      overrideReason: '存在错误时须填写发布理由',
    })
  }
  // Nothing is published unscanned (条例 art. 17): the same scan and override rules as items.
  await refuseUnscannedPublication(deps, actor, stored)
  await deps.db.transaction().execute(async (trx) => {
    const current = await findReportOfRecord(trx, stored.agency_id, stored.year)
    const now = isoNow(deps.clock)
    const previous = current?.status === 'published' ? current : undefined
    if (previous) await updateReportRow(trx, previous.id, { status: 'superseded', updated_at: now })
    await updateReportRow(trx, id, {
      status: 'published',
      version: (previous?.version ?? 0) + 1,
      supersedes_id: previous?.id ?? null,
      override_reason: hasErrors(check) ? (reason ?? null) : null,
      published_at: now,
      published_by: actor.id,
      updated_at: now,
    })
    await publicContentChanged(trx)
    await appendAudit(deps, trx, actor, {
      action: 'report.publish',
      objectType: 'annual_report',
      objectId: id,
      result: 'success',
      detail: {
        year: stored.year,
        version: (previous?.version ?? 0) + 1,
        supersedes: previous?.id ?? null,
        override: hasErrors(check) ? reason : undefined,
      },
    })
  })
}

/** Attaches a report of an earlier year, as published elsewhere, so that X1–X3 can run against it. */
/** The same agency whatever region prefix either name carries ("重庆市垫江县司法局" and "垫江县司法局"). */
export const sameAgency = (a: string, b: string) => {
  const squeeze = (s: string) => s.replace(/\s+/g, '')
  return squeeze(a).endsWith(squeeze(b)) || squeeze(b).endsWith(squeeze(a))
}

/**
 * Imports an earlier year's published report of the actor's agency. A report that names another agency is taken only
 * when the importer confirms it is theirs (issue #12), so that X1 is not checked against someone else's figures.
 */
export async function importEarlierReport(
  deps: Deps,
  actor: Staff,
  bytes: Buffer,
  name: string,
  opts: { confirmAgency?: boolean } = {},
): Promise<number> {
  let report
  try {
    report = await importReport(bytes, name, deps.config.parseLimits)
  } catch (e) {
    throw new AppError('invalid_input', `无法读取该报告：${e instanceof Error ? e.message : String(e)}`, {
      text: '无法读取该报告',
    })
  }
  if (report.year === null)
    throw new AppError('invalid_input', '无法从文本中识别报告年度，请确认包含“××××年政府信息公开工作年度报告”', {
      text: '无法识别报告年度',
    })
  const agency = await findAgencyById(deps.db, actor.agencyId)
  const named = report.agency
  if (named && agency && !sameAgency(named, agency.name) && !opts.confirmAgency) {
    const message = `报告中的机关为“${named}”，与本机关“${agency.name}”不一致。确属本机关的报告（例如机关更名），请勾选确认后重新导入`
    throw new AppError('invalid_input', message, { confirmAgency: message })
  }
  report.agency = agency?.name ?? named
  return deps.db.transaction().execute(async (trx) => {
    const now = isoNow(deps.clock)
    const id = await insertReport(trx, {
      agency_id: actor.agencyId,
      year: report.year!,
      format: report.format,
      source: 'imported',
      status: 'imported',
      version: 0,
      report,
      source_name: name.slice(0, 200),
      override_reason: null,
      supersedes_id: null,
      created_at: now,
      created_by: actor.id,
      updated_at: now,
      published_at: null,
      published_by: null,
    })
    await appendAudit(deps, trx, actor, {
      action: 'report.import',
      objectType: 'annual_report',
      objectId: id,
      result: 'success',
      detail: { year: report.year, missing: report.missing.length, ...(named !== report.agency ? { named } : {}) },
    })
    return id
  })
}

/** The region's report of a year for the supervising office: each agency's report of record, summed. */
export async function regionReportOf(
  deps: Deps,
  year: number,
): Promise<
  RegionReport & {
    withoutReport: string[]
    publishedIds: Map<number, number>
    parts: { agencyId: number; agencyName: string; report: AnnualReport }[]
  }
> {
  const region = await findRegion(deps.db)
  const agencies = await listAgencies(deps.db)
  const reports = (await listReportsOfYear(deps.db, year)).filter(
    (r) => r.status === 'published' || r.status === 'imported',
  )
  const publishedIds = new Map<number, number>()
  const parts = agencies.flatMap((a) => {
    const mine = reports
      .filter((r) => r.agency_id === a.id)
      .sort((x, y) => (x.status === y.status ? y.version - x.version : x.status === 'published' ? -1 : 1))[0]
    if (mine?.status === 'published') publishedIds.set(a.id, mine.id)
    return mine ? [{ agencyId: a.id, agencyName: a.name, report: mine.report }] : []
  })
  const rolled = rollUpRegion(region?.name ?? '本区域', year, formatForYear(year), parts)
  return {
    ...rolled,
    withoutReport: agencies.filter((a) => !parts.some((p) => p.agencyId === a.id)).map((a) => a.name),
    publishedIds,
    parts,
  }
}

export type CellExplanation = {
  ref: string
  label: string
  stored: number | null
  current: number
  records: AgencyYearRecords['applications'][number][]
  /** The other records the cell counts (documents, article-20 activities), described. */
  others: RecordDescription[]
}

/** "Why is this cell 6?": the records the cell counts now, beside the value the report holds. */
export async function explainCell(deps: Deps, actor: Staff, id: number, ref: string): Promise<CellExplanation> {
  return explainStoredCell(deps, await findOwnReport(deps, actor, id), ref, { activitiesLink: true })
}

/**
 * A cell's value in a report, by its reference (applications.NEW[6], appeals.reconsideration[4],
 * article20.fees.amountWan).
 */

/** The supervising office drills into any agency's published report of the region. */
export async function explainRegionCell(
  deps: Deps,
  reportId: number,
  ref: string,
): Promise<CellExplanation & { agencyId: number; year: number }> {
  const stored = await findReportById(deps.db, reportId)
  if (!stored || stored.status !== 'published') throw new AppError('not_found', '报告不存在或尚未发布')
  const cell = await explainStoredCell(deps, stored, ref, { activitiesLink: false })
  return { ...cell, agencyId: stored.agency_id, year: stored.year }
}

async function explainStoredCell(
  deps: Deps,
  stored: StoredReport,
  ref: string,
  opts: { activitiesLink: boolean },
): Promise<CellExplanation> {
  const m = cellRef.exec(ref)
  if (!m || stored.source !== 'computed') throw new AppError('not_found', '该单元格没有可追溯的记录')
  const records = await recordsOf(deps, stored.agency_id, stored.year)
  const { report: fresh, basis } = computeReport(records, {
    year: stored.year,
    format: stored.report.format,
    appealsScope: await appealsScopeOf(deps.db),
  })
  const ids = basis.get(ref) ?? []
  const label = cellLabel(stored.report.format, ref)
  const storedValue = cellValue(stored.report, ref)
  const idSet = new Set(ids)
  const applications = m[1] ? records.applications.filter((a) => idSet.has(a.id)) : []
  return {
    ref,
    label,
    stored: storedValue ?? null,
    // The cell as the records give it now, computed the same way: a sum of money or counts compares as such.
    current: cellValue(fresh, ref) ?? 0,
    records: applications,
    others: m[1] ? [] : await describeRecords(deps.db, stored.agency_id, ids, opts),
  }
}
