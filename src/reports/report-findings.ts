import { checkReport, hasErrors } from './report-checks.ts'
import type { CheckResult } from './report-checks.ts'
import type { AnnualReport } from './report.ts'
import { partLabel } from './report-cells.ts'

/** The findings of one report as a person reads them, one per line. */
export function describeCheck(report: AnnualReport, result: CheckResult): string[] {
  const lines: string[] = []
  const unknown = new Set(report.undetermined ?? [])
  const head = [
    report.agency,
    report.year ? `${report.year}年` : null,
    unknown.has('format')
      ? '格式未能确定（按2021年格式读取）'
      : `${report.format === '2019' ? '2019年试行' : '2021年'}格式`,
  ]
    .filter(Boolean)
    .join(' ')
  const errors = result.findings.filter((f) => f.severity === 'error').length
  const warnings = result.findings.filter((f) => f.severity === 'warning').length
  const summary = result.findings.length === 0 ? '未发现问题' : `发现 ${errors} 个错误、${warnings} 个提示`
  lines.push(`${head}：${summary}`)
  for (const f of result.findings) lines.push(`  [${f.severity === 'error' ? '错误' : '提示'}] ${f.message}`)
  for (const n of result.notChecked) lines.push(`  [未检查] ${n.rule}：${n.reason}`)
  const names = { year: '年度', agency: '机关名称', format: '报告格式' } as const
  if (unknown.size) lines.push(`  [未能确定] ${[...unknown].map((u) => names[u]).join('、')}：原文中没有找到`)
  const tangled = new Set(report.ambiguous ?? [])
  const absent = report.missing.filter((m) => !tangled.has(m))
  if (absent.length) lines.push(`  [缺失] ${absent.map((m) => partLabel(report.format, m)).join('、')}`)
  if (tangled.size)
    lines.push(
      `  [未读出] ${[...tangled].map((m) => partLabel(report.format, m)).join('、')}：数字连在一起，无法唯一、可靠地拆分`,
    )
  return lines
}

export { checkReport, hasErrors }
