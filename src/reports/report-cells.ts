import { appealColumns, appealGroupLabels, applicantColumns, formats } from './report-format.ts'
import type { FormatId } from './report-format.ts'
import type { AnnualReport, Cell } from './report.ts'

// A cell of a report is named in the interchange by a key (report-interchange.md: `applications.NEW[0]`,
// `appeals.reconsideration[4]`, `article20.licensing.decisions`); people read it by its row and column, as the
// printed table heads them. The key stays in links and JSON; a page shows the words (issue #12).

export const cellRef = /^(?:applications\.([A-Z_]+)\[(\d)\]|appeals\.(\w+)\[(\d)\]|article20\.(\w+)\.(\w+))$/

export function cellValue(report: AnnualReport, ref: string): Cell | undefined {
  const m = cellRef.exec(ref)
  if (!m) return undefined
  if (m[1]) return report.applications.rows[m[1]]?.[Number(m[2])]
  if (m[3]) return report.appeals[m[3] as keyof AnnualReport['appeals']]?.[Number(m[4])]
  return report.article20[m[5]!]?.[m[6]!]
}

/** The cell's row and column in the words of the printed table, e.g. "三、本年度办理结果（一）予以公开 · 自然人". */
export function cellLabel(format: FormatId, ref: string): string {
  const m = cellRef.exec(ref)
  if (!m) return '未知单元格'
  const f = formats[format]
  if (m[1]) {
    const row = f.applicationRows.find((r) => r.code === m[1])
    return `${row ? `${row.group ?? ''}${row.label}` : '未知行'} · ${applicantColumns[Number(m[2])] ?? '未知列'}`
  }
  if (m[3])
    return `${appealGroupLabels[m[3] as keyof typeof appealGroupLabels] ?? '未知项目'} · ${appealColumns[Number(m[4])] ?? '未知列'}`
  const row = f.article20.flatMap((b) => b.rows).find((r) => r.key === m[5])
  return `${row?.label ?? '未知项目'} · ${row?.columns.find((c) => c.key === m[6])?.label ?? '未知列'}`
}

/**
 * A part named in `missing` or `ambiguous` ("applications.NEW", "article20.rules", "appeals") in the
 * words of the printed report, e.g. "第三部分 一、本年新收政府信息公开申请数量".
 */
export function partLabel(format: FormatId, part: string): string {
  const f = formats[format]
  const [section, key] = part.split('.') as [string, string?]
  if (section === 'appeals') return '第四部分“行政复议、行政诉讼情况”表格'
  if (section === 'article20') {
    if (!key) return '第二部分“主动公开政府信息情况”表格'
    const block = f.article20.find((b) => b.rows.some((r) => r.key === key))
    const row = block?.rows.find((r) => r.key === key)
    return `第二部分 ${block?.caption ?? ''}${row?.label ?? '未知项目'}`
  }
  if (section === 'applications') {
    if (!key) return '第三部分“收到和处理政府信息公开申请情况”表格'
    const row = f.applicationRows.find((r) => r.code === key)
    if (key === 'OTHER') return '第三部分 （六）其他处理'
    return `第三部分 ${row ? `${row.group ?? ''}${row.label}` : '未知行'}`
  }
  return '未知部分'
}
