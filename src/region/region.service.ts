import { csvCell } from '../web/csv.ts'
import { countAgencies, listAgencies, listUnits } from '../agencies/agency.store.ts'
import { formatShanghai } from '../clock.ts'
import { isOverdue } from '../applications/application.ts'
import { lateCorrections, liveOpenApplications } from '../applications/queue.service.ts'
import type { Deps } from '../deps.ts'
import { columnHealth } from '../disclosures/column-health.ts'
import { countPublications } from '../disclosures/counts.ts'
import { columnStats } from '../disclosures/disclosure.store.ts'
import { checkReport } from '../reports/report-checks.ts'
import { listReportsOfYear } from '../reports/report.store.ts'
import { readSetting } from '../settings/settings.store.ts'

// The supervising office's view of its region (issue #6): for every agency its open and overdue
// applications, column health against the 19号 veto thresholds, last month's unit quotas, items per
// channel this year, and last year's annual report — its status, whether it met its deadline
// (1月31日 for a government department, 3月31日 for the government's own report, art. 49; earlier
// local dates are settings) and its check findings. The supervising office (the government office)
// is itself a department: its own report is due 1月31日; the 3月31日 date belongs to the region's
// (the government's) report, shown above the table.

export type AgencyState = {
  id: number
  name: string
  open: number
  overdue: number
  /** 补正 notices sent after the 7 working days of 条例第三十条. */
  lateCorrections: number
  stale: number
  longStale: number
  empty: number
  veto: string[]
  unitsMissingQuota: number
  units: number
  published: number
  byChannelKind: string
  reportYear: number
  reportStatus: '未开始' | '草稿' | '审核中' | '已审核' | '已发布'
  reportDeadline: string
  reportOnTime: boolean | null
  reportErrors: number
  reportWarnings: number
}

const statusLabel: Record<string, AgencyState['reportStatus']> = {
  draft: '草稿',
  in_review: '审核中',
  approved: '已审核',
  published: '已发布',
}

/** Whose report it is under 条例 art. 49: a 县级以上人民政府部门's, or a 县级以上地方人民政府's own. */
type Reporter = 'department' | 'government'

/**
 * An agency registered as a county-or-higher people's government reports as a government; every other agency —
 * the supervising office (政府办公室) included — reports as a department (条例 art. 49).
 */
const reporterOf = (a: { kind: string; level: string }): Reporter =>
  a.kind === '人民政府' && a.level !== '乡级' ? 'government' : 'department'

/** The deadline of a report of `year`: 1月31日 or 3月31日 (art. 49), or the earlier local date set for the region. */
async function deadlineFor(deps: Deps, reporter: Reporter, year: number): Promise<string> {
  const local = await readSetting(deps.db, `reports.deadline.${reporter}`)
  const statutory = reporter === 'government' ? '03-31' : '01-31'
  return `${year + 1}-${local && /^\d{2}-\d{2}$/.test(local) ? local : statutory}`
}

/** When an agency's report of `year` must be published (条例 art. 49), or the region's earlier local date. */
export const reportDueOf = (deps: Deps, agency: { kind: string; level: string }, year: number): Promise<string> =>
  deadlineFor(deps, reporterOf(agency), year)

/** The region's (the government's) report of last year and when it must be published (条例 art. 49: 3月31日). */
export async function regionReportDue(deps: Deps): Promise<{ year: number; deadline: string }> {
  const year = Number(formatShanghai(deps.clock.now().toISOString()).slice(0, 4)) - 1
  return { year, deadline: await deadlineFor(deps, 'government', year) }
}

export async function regionOverview(deps: Deps): Promise<AgencyState[]> {
  const now = deps.clock.now()
  const today = formatShanghai(now.toISOString()).slice(0, 10)
  const year = Number(today.slice(0, 4))
  const reportYear = year - 1
  const lastMonth = new Date(Date.UTC(year, Number(today.slice(5, 7)) - 1, 0))
  const lm = lastMonth.toISOString().slice(0, 10)
  const applications = await liveOpenApplications(deps, today)
  const late = await lateCorrections(deps)
  const reports = (await listReportsOfYear(deps.db, reportYear)).filter(
    (r) => r.source === 'computed' && r.status !== 'superseded',
  )
  const out: AgencyState[] = []
  for (const a of await listAgencies(deps.db)) {
    const mine = applications.filter((x) => x.agency_id === a.id)
    const health = columnHealth(await columnStats(deps.db, a.id), now)
    const units = await listUnits(deps.db, a.id)
    const perMonth = Number(JSON.parse((await readSetting(deps.db, `quota:${a.id}`)) ?? '{"perMonth":1}').perMonth)
    const month = await countPublications(deps.db, a.id, `${lm.slice(0, 8)}01`, lm)
    const byUnit = new Map(month.byUnit.map((u) => [u.name, u.items]))
    const counts = await countPublications(deps.db, a.id, `${year}-01-01`, today)
    const report = reports.filter((r) => r.agency_id === a.id).sort((x, y) => y.id - x.id)[0]
    const deadline = await deadlineFor(deps, reporterOf(a), reportYear)
    const published = report?.status === 'published' ? formatShanghai(report.published_at!).slice(0, 10) : null
    const check = report ? checkReport(report.report) : undefined
    out.push({
      id: a.id,
      name: a.name,
      open: mine.length,
      overdue: mine.filter((x) => isOverdue(x, today)).length,
      lateCorrections: late.filter((l) => l.agency_id === a.id).length,
      stale: health.stale,
      longStale: health.longStale,
      empty: health.empty,
      veto: health.veto,
      units: units.length,
      unitsMissingQuota: units.filter((u) => (byUnit.get(u.name) ?? 0) < perMonth).length,
      published: counts.total,
      byChannelKind: counts.byChannelKind.map((k) => `${k.label} ${k.items}`).join('、'),
      reportYear,
      reportStatus: report ? (statusLabel[report.status] ?? '草稿') : '未开始',
      reportDeadline: deadline,
      reportOnTime: published ? published <= deadline : today > deadline ? false : null,
      reportErrors: check?.findings.filter((f) => f.severity === 'error').length ?? 0,
      reportWarnings: check?.findings.filter((f) => f.severity === 'warning').length ?? 0,
    })
  }
  return out
}

export const overviewColumns: { key: keyof AgencyState; label: string; value: (s: AgencyState) => string | number }[] =
  [
    { key: 'name', label: '机关', value: (s) => s.name },
    { key: 'open', label: '办理中申请', value: (s) => s.open },
    { key: 'overdue', label: '逾期申请', value: (s) => s.overdue },
    // 条例第三十条: 补正 to be asked once, within 7 working days of receipt.
    { key: 'lateCorrections', label: '逾期发出补正通知', value: (s) => s.lateCorrections },
    { key: 'stale', label: '不更新栏目', value: (s) => s.stale },
    { key: 'longStale', label: '长期不更新栏目', value: (s) => s.longStale },
    { key: 'empty', label: '空白栏目', value: (s) => s.empty },
    { key: 'veto', label: '单项否决', value: (s) => s.veto.join('；') || '无' },
    { key: 'unitsMissingQuota', label: '上月未达报送要求的单位', value: (s) => `${s.unitsMissingQuota}/${s.units}` },
    { key: 'published', label: '本年发布信息', value: (s) => s.published },
    { key: 'byChannelKind', label: '按渠道', value: (s) => s.byChannelKind },
    { key: 'reportStatus', label: '上年度年报', value: (s) => s.reportStatus },
    {
      key: 'reportOnTime',
      label: '按期发布',
      value: (s) =>
        s.reportOnTime === null
          ? `截止 ${s.reportDeadline}`
          : s.reportOnTime
            ? '按期'
            : `逾期（截止 ${s.reportDeadline}）`,
    },
    { key: 'reportErrors', label: '年报错误/提示', value: (s) => `${s.reportErrors}/${s.reportWarnings}` },
  ]

export type OverviewQuery = { sort: string; dir: 'asc' | 'desc'; only: 'all' | 'problems' }

export const hasProblem = (s: AgencyState) =>
  s.overdue > 0 || s.lateCorrections > 0 || s.veto.length > 0 || s.reportOnTime === false || s.reportErrors > 0

/** The overview's agencies, filtered and sorted as asked, with the same figures as table rows for export. */
export async function sortedOverview(deps: Deps, q: OverviewQuery) {
  const col = overviewColumns.find((c) => c.key === q.sort) ?? overviewColumns[0]!
  const states = (await regionOverview(deps)).filter((s) => q.only === 'all' || hasProblem(s))
  const sorted = [...states].sort((a, b) => {
    const x = col.value(a)
    const y = col.value(b)
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN')
    return q.dir === 'asc' ? c : -c
  })
  return {
    states: sorted,
    header: overviewColumns.map((c) => c.label),
    rows: sorted.map((s) => overviewColumns.map((c) => c.value(s))),
  }
}

export const agencyCountOf = (deps: Deps): Promise<number> => countAgencies(deps.db)

/** Any table as CSV (with a BOM, so that Excel reads it as UTF-8) or XLSX, the same cells. */
export function tableCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  // An agency or column name such as =HYPERLINK(…) is shown as text, never run as a formula.
  return `\ufeff${[header, ...rows].map((r) => r.map((v) => csvCell(v)).join(',')).join('\n')}\n`
}

export async function tableXlsx(
  sheet: string,
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): Promise<Buffer> {
  const wb = new (await import('exceljs')).default.Workbook()
  const ws = wb.addWorksheet(sheet)
  ws.addRow([...header]).font = { bold: true }
  for (const r of rows) ws.addRow([...r])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** Sends a table as the file the query asks for (?format=csv|xlsx); false when it asks for the page. */
export async function sendTableIfAsked(
  request: { query: unknown },
  reply: { type(t: string): { header(k: string, v: string): { send(b: unknown): unknown } } },
  name: string,
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): Promise<boolean> {
  const format = (request.query as { format?: string } | undefined)?.format
  if (format !== 'csv' && format !== 'xlsx') return false
  const fileName = encodeURIComponent(`${name}.${format}`)
  const disposition = `attachment; filename="table.${format}"; filename*=UTF-8''${fileName}`
  if (format === 'csv')
    reply.type('text/csv; charset=utf-8').header('content-disposition', disposition).send(tableCsv(header, rows))
  else
    reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', disposition)
      .send(await tableXlsx(name, header, rows))
  return true
}
