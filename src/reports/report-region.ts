import { checkReport } from './report-checks.ts'
import type { CheckResult } from './report-checks.ts'
import { appealGroups } from './report-format.ts'
import type { FormatId } from './report-format.ts'
import { blankReport } from './report.ts'
import type { AnnualReport, Cell } from './report.ts'

// The supervising office's report of a region (issue #3 §6): the sum of its agencies' reports of
// one year and format, each agency's findings kept for drill-down. A cell blank in every agency's
// report stays blank; otherwise blanks count as 0 (report-interchange.md).

export type AgencyReport = { agencyId: number; agencyName: string; report: AnnualReport }
export type RegionReport = {
  report: AnnualReport
  agencies: { agencyId: number; agencyName: string; check: CheckResult }[]
  excluded: { agencyName: string; reason: string }[]
}

const add = (a: Cell | undefined, b: Cell | undefined): Cell =>
  a === null || a === undefined ? (b ?? null) : b === null || b === undefined ? a : Math.round((a + b) * 100) / 100

export function rollUpRegion(
  regionName: string,
  year: number,
  format: FormatId,
  parts: readonly AgencyReport[],
): RegionReport {
  const total = blankReport(format, year, regionName)
  const agencies: RegionReport['agencies'] = []
  const excluded: RegionReport['excluded'] = []
  for (const part of parts) {
    const r = part.report
    if (r.year !== year || r.format !== format) {
      excluded.push({
        agencyName: part.agencyName,
        reason: `报告年度或格式不符（${r.year ?? '未知'}年，${r.format}格式）`,
      })
      continue
    }
    agencies.push({ agencyId: part.agencyId, agencyName: part.agencyName, check: checkReport(r) })
    for (const [row, values] of Object.entries(r.article20)) {
      const target = total.article20[row]
      if (!target) continue
      for (const [key, v] of Object.entries(values)) target[key] = add(target[key], v)
    }
    for (const [code, cells] of Object.entries(r.applications.rows)) {
      const target = total.applications.rows[code]
      if (target)
        cells.forEach((v, i) => {
          target[i] = add(target[i], v)
        })
    }
    for (const g of appealGroups) {
      const target = total.appeals[g]!
      r.appeals[g]?.forEach((v, i) => {
        target[i] = add(target[i], v)
      })
    }
    for (const m of r.missing) if (!total.missing.includes(m)) total.missing.push(m)
  }
  return { report: total, agencies, excluded }
}
