import type { AnnualReport, Cell } from './report.ts'
import type { Finding } from './report-check-result.ts'

// N1 (report-interchange.md): where the narrative states a figure that a table also holds, the two
// should agree. Narratives use looser words than the tables, so this is only ever a warning, and
// only phrases that name one table figure unambiguously are compared.

// A cell the report does not contain (a missing row) is undefined, and the claim is not compared.
type Ref = { cell: string; value: Cell | undefined }
type Claim = { pattern: RegExp; what: string; cells: (r: AnnualReport) => Ref[] }

const total = (code: string) => (r: AnnualReport) => [
  {
    cell: `applications.${code}[6]`,
    value: r.applications.rows[code] ? (r.applications.rows[code][6] ?? null) : undefined,
  },
]
const appealTotal =
  (...groups: ('reconsideration' | 'litigationDirect' | 'litigationAfterReconsideration')[]) =>
  (r: AnnualReport) =>
    groups.map((g) => ({ cell: `appeals.${g}[4]`, value: r.appeals[g] ? (r.appeals[g][4] ?? null) : undefined }))

const claims: Claim[] = [
  {
    pattern:
      /(?:新收到|共收到|收到|受理|新收)(?:各类)?(?:政府信息公开|信息公开|依申请公开)?申请(?:共计|共|合计)?(\d+)(?:件|个|条|份)/,
    what: '本年新收申请',
    cells: total('NEW'),
  },
  {
    pattern: /(?:上年度?|上一年度?)结转(?:的)?(?:政府信息公开)?申请(\d+)件/,
    what: '上年结转申请',
    cells: total('CARRIED_IN'),
  },
  {
    pattern: /(?:办结|答复|办理完毕)(?:各类)?(?:政府信息公开)?(?:申请)?(?:共计|共)?(\d+)件/,
    what: '本年度办理结果总计',
    cells: total('TOTAL'),
  },
  {
    pattern: /(\d+)件(?:申请)?(?:顺延|结转|转入)(?:到|至)?下一?年度/,
    what: '结转下年度继续办理',
    cells: total('CARRIED_OUT'),
  },
  {
    pattern: /(?:政府信息公开)?行政复议(?:案件)?(?:共计|共)?(\d+)件/,
    what: '行政复议总计',
    cells: appealTotal('reconsideration'),
  },
  {
    pattern: /(?:政府信息公开)?行政诉讼(?:案件)?(?:共计|共)?(\d+)件/,
    what: '行政诉讼总计',
    cells: appealTotal('litigationDirect', 'litigationAfterReconsideration'),
  },
]

export function checkNarrative(report: AnnualReport): Finding[] {
  const text = (report.sections.overview ?? '').replace(/\s+/g, '')
  if (!text) return []
  const out: Finding[] = []
  const none = /未(?:收到|受理)(?:任何)?(?:政府信息公开)?申请/.test(text)
  const checks: { what: string; stated: number; cells: Ref[] }[] = []
  for (const claim of claims) {
    const m = claim.pattern.exec(text)
    if (m) checks.push({ what: claim.what, stated: Number(m[1]), cells: claim.cells(report) })
  }
  if (none) checks.push({ what: '本年新收申请', stated: 0, cells: total('NEW')(report) })
  for (const c of checks) {
    const cells = c.cells.filter((x): x is { cell: string; value: Cell } => x.value !== undefined)
    if (cells.length < c.cells.length || cells.every((x) => x.value === null)) continue
    const table = cells.reduce((s, x) => s + (x.value ?? 0), 0)
    if (table === c.stated) continue
    out.push({
      rule: 'N1',
      severity: 'warning',
      left: [],
      right: cells,
      leftSum: c.stated,
      rightSum: table,
      blankCells: cells.filter((x) => x.value === null).map((x) => x.cell),
      message: `N1（${c.what}）：总体情况写明 ${c.stated} 件，表格为 ${table} 件`,
    })
  }
  return out
}
