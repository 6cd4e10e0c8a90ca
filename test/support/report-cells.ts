import { appealColumns, applicantColumns } from '../../src/reports/report-format.ts'
import type { AnnualReport, Cell } from '../../src/reports/report.ts'

// Cells named as index.json names them: ROW_CODE.column for section 三 (NEW.自然人), group.column
// for section 四 (reconsideration.结果维持), article20.row.field for section 二.

const appealGroupNames = new Set(['reconsideration', 'litigationDirect', 'litigationAfterReconsideration'])

export function cellOf(report: AnnualReport, key: string): Cell | undefined {
  const [a, b, c] = key.split('.') as [string, string, string?]
  if (a === 'article20') return report.article20[b]?.[c!]
  if (appealGroupNames.has(a))
    return report.appeals[a as keyof AnnualReport['appeals']]?.[appealColumns.indexOf(b as never)]
  return report.applications.rows[a]?.[applicantColumns.indexOf(b as never)]
}

/** Whether `missing` (or `ambiguous`) names the part that holds the cell. */
export function listedAsUnread(listed: readonly string[], key: string): boolean {
  const [a, b] = key.split('.')
  const part = a === 'article20' ? 'article20' : appealGroupNames.has(a!) ? 'appeals' : 'applications'
  return listed.some(
    (m) =>
      m === part ||
      (part === 'article20' && m === `article20.${b}`) ||
      (part === 'applications' && m === `applications.${a}`),
  )
}
