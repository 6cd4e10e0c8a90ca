import { appealGroups, formatForYear } from './report-format.ts'
import type { FormatId } from './report-format.ts'
import { blankReport } from './report.ts'
import type { AnnualReport } from './report.ts'
import { applicantCategories } from './report-records.ts'
import type { AgencyYearRecords, ApplicationRecord, ProcessingFeeRecord, RecordId } from './report-records.ts'

// The report computed from one agency-year's records (law-and-format.md §8.2), with, for every
// cell, the records it counted: the console answers "why is this cell 6?" with that list. Each
// counting rule cites its source. Dates are Asia/Shanghai calendar dates compared as strings.

export type ComputeOptions = {
  year: number
  agency?: string | null
  format?: FormatId
  /**
   * Which appeal cases a year counts (law-and-format.md §2.6 [U], practice varies by province):
   * those filed in the year, or also those filed earlier and concluded in it.
   */
  appealsScope?: 'filedInYear' | 'filedOrConcludedInYear'
}

export type Computed = { report: AnnualReport; basis: Map<string, RecordId[]> }

const within = (date: string | null, year: number) =>
  date !== null && date >= `${year}-01-01` && date <= `${year}-12-31`
const onOrBefore = (date: string | null, day: string) => date !== null && date <= day
const openOn = (a: ApplicationRecord, day: string) =>
  a.receivedOn <= day && (a.concludedOn === null || a.concludedOn > day)

export function computeReport(records: AgencyYearRecords, opts: ComputeOptions): Computed {
  const { year } = opts
  const format = opts.format ?? formatForYear(year)
  const report = blankReport(format, year, opts.agency ?? null)
  const basis = new Map<string, RecordId[]>()
  const count = (cell: string, id: RecordId, by = 1) => {
    basis.set(cell, [...(basis.get(cell) ?? []), id])
    return by
  }
  const yearEnd = `${year}-12-31`
  const lastYearEnd = `${year - 1}-12-31`

  // Section 三. Every row starts at 0: a computed report has no blank cells.
  const rows = report.applications.rows
  for (const code of Object.keys(rows)) rows[code] = [0, 0, 0, 0, 0, 0, 0]
  const add = (code: string, a: ApplicationRecord) => {
    const col = applicantCategories.indexOf(a.applicantCategory)
    const row = rows[code]!
    row[col] = row[col]! + count(`applications.${code}[${col}]`, a.id)
    row[6] = row[6]! + count(`applications.${code}[6]`, a.id)
  }
  for (const a of records.applications) {
    // 一: received (art. 31 date) in the year.
    if (within(a.receivedOn, year)) add('NEW', a)
    // 二: pending at the end of last year; by construction equal to last year's 四 (X1).
    if (openOn(a, lastYearEnd)) add('CARRIED_IN', a)
    // 三: concluded in the year, in exactly one outcome row (P1; 部分公开 only as 部分公开). The
    // 2019 format has one （六）其他处理 row for the three 2021 sub-rows (law-and-format.md §8.1 item 9).
    if (within(a.concludedOn, year) && a.outcome) {
      const code = format === '2019' && a.outcome.startsWith('OTHER_') ? 'OTHER' : a.outcome
      add(code, a)
      add('TOTAL', a)
    }
    // 四: still pending at the end of the year.
    if (openOn(a, yearEnd)) add('CARRIED_OUT', a)
  }

  // Section 四: the state of each case at 31 December (law-and-format.md §2.6).
  const column = { upheld: 0, corrected: 1, other: 2 } as const
  for (const g of appealGroups) report.appeals[g] = [0, 0, 0, 0, 0]
  for (const c of records.appeals) {
    const counted =
      within(c.filedOn, year) || (opts.appealsScope === 'filedOrConcludedInYear' && within(c.concludedOn, year))
    if (!counted) continue
    const cells = report.appeals[c.kind]!
    const col = onOrBefore(c.concludedOn, yearEnd) && c.result ? column[c.result] : 3
    cells[col] = cells[col]! + count(`appeals.${c.kind}[${col}]`, c.id)
    cells[4] = cells[4]! + count(`appeals.${c.kind}[4]`, c.id)
  }

  computeArticle20(records, report, year, count)
  // Section 六 states the information-processing fees collected in the year (law-and-format.md §2.3,
  // §3: 国办函〔2020〕109号 fees are reported in text under 六, never in 二(八)).
  report.sections.other = feeStatement(year, records.processingFees)
  return { report, basis }
}

/**
 * The sentence of section 六 on 信息处理费 (国办函〔2020〕109号) paid in `year`, in the words reports use: "2025年有1件
 * 政府信息公开申请案件收取信息处理费380元" or "2025年未收取信息处理费" (law-and-format.md §2.3).
 */
export function feeStatement(year: number, fees: readonly ProcessingFeeRecord[]): string {
  const paid = fees.filter((f) => within(f.paidOn, year))
  const fen = paid.reduce((sum, f) => sum + Math.round(f.amountYuan * 100), 0)
  if (paid.length === 0) return `${year}年未收取信息处理费。`
  const cases = new Set(paid.map((f) => f.id)).size
  const yuan = fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2)
  return `${year}年有${cases}件政府信息公开申请案件收取信息处理费${yuan}元。`
}

const generatedFeeStatement = /^\d{4}年(?:有\d+件政府信息公开申请案件收取信息处理费[\d.]+元|未收取信息处理费)。\n*/

/** Section 六 with `statement` as its first paragraph, in place of the one a previous computation put there. */
export function withFeeStatement(narrative: string | null, statement: string | null): string | null {
  const rest = (narrative ?? '').replace(generatedFeeStatement, '')
  if (!statement) return rest || null
  return rest ? `${statement}\n${rest}` : statement
}

function computeArticle20(
  records: AgencyYearRecords,
  report: AnnualReport,
  year: number,
  count: (cell: string, id: RecordId, by?: number) => number,
) {
  const a20 = report.article20
  const yearEnd = `${year}-12-31`
  const lastYearEnd = `${year - 1}-12-31`
  const docKey = { rule: 'rules', normative: 'normativeDocuments' } as const
  const set = (row: string, key: string, value: number) => {
    a20[row]![key] = value
  }
  for (const row of Object.keys(a20)) for (const key of Object.keys(a20[row]!)) set(row, key, 0)
  const inc = (row: string, key: string, id: RecordId, by = 1) => {
    a20[row]![key] = (a20[row]![key] ?? 0) + count(`article20.${row}.${key}`, id, by)
  }
  const inForce = (d: { issuedOn: string; repealedOn: string | null; lapsedOn: string | null }, day: string) =>
    d.issuedOn <= day && !onOrBefore(d.repealedOn, day) && !onOrBefore(d.lapsedOn, day)

  if (report.format === '2021') {
    for (const d of records.documents) {
      const row = docKey[d.docKind]
      // 本年制发件数 / 本年废止件数 / 现行有效件数 (law-and-format.md §8.2, 2021).
      if (within(d.issuedOn, year)) inc(row, 'issued', d.id)
      if (within(d.repealedOn, year)) inc(row, 'repealed', d.id)
      if (inForce(d, yearEnd)) inc(row, 'inForce', d.id)
    }
    for (const d of records.decisions) {
      if (d.kind !== 'otherServices' && within(d.decidedOn, year)) inc(d.kind, 'decisions', d.id, d.count ?? 1)
    }
    // 本年收费金额 in 万元, two decimals; kept in 分 until the end to add exactly.
    let fen = 0
    for (const f of records.fees)
      if (within(f.collectedOn, year)) {
        count('article20.fees.amountWan', f.id)
        fen += f.amountFen
      }
    set('fees', 'amountWan', Math.round(fen / 10_000) / 100)
    return
  }

  for (const d of records.documents) {
    const row = docKey[d.docKind]
    // 2019: 本年新制作数量 / 本年新公开数量 / 对外公开总数量 (public on 31 Dec) [P].
    if (within(d.issuedOn, year)) inc(row, 'newlyMade', d.id)
    if (within(d.publishedOn, year)) inc(row, 'newlyPublished', d.id)
    if (onOrBefore(d.publishedOn, yearEnd) && inForce(d, yearEnd)) inc(row, 'totalPublished', d.id)
  }
  // 上一年项目数量 = items valid on last 31 Dec; 本年增/减 = items(Y) − items(Y−1), signed.
  const validOn = (i: { validFrom: string; validTo: string | null }, day: string) =>
    i.validFrom <= day && (i.validTo === null || i.validTo > day)
  for (const item of records.catalogue) {
    const before = validOn(item, lastYearEnd)
    const after = validOn(item, yearEnd)
    if (before) inc(item.itemType, 'previousYearItems', item.id)
    if (before !== after) inc(item.itemType, 'change', item.id, after ? 1 : -1)
  }
  for (const d of records.decisions) if (within(d.decidedOn, year)) inc(d.kind, 'decisions', d.id, d.count ?? 1)
  let fen = 0
  for (const p of records.procurement)
    if (within(p.contractedOn, year)) {
      inc('procurement', 'projects', p.id)
      count('article20.procurement.amountWan', p.id)
      fen += p.amountFen
    }
  set('procurement', 'amountWan', Math.round(fen / 10_000) / 100)
}
