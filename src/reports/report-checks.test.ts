import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { checkReport, hasErrors } from './report-checks.ts'
import type { RuleId } from './report-checks.ts'
import { appealGroups, formats } from './report-format.ts'
import { annualReportSchema } from './report.ts'
import type { AnnualReport } from './report.ts'

const huaian = (): AnnualReport =>
  annualReportSchema.parse(
    JSON.parse(readFileSync(path.resolve('test/fixtures/reports/huaian-2024.expected.json'), 'utf8')),
  ) as AnnualReport
const f = formats['2021']
const outcomes = new Set(f.applicationRows.filter((r) => r.outcome).map((r) => r.code))

/** The rules a cell of section 三 takes part in, worked out from the format's own statements. */
function rulesOfApplicationCell(code: string): RuleId[] {
  const rules: RuleId[] = ['R2']
  if (['NEW', 'CARRIED_IN', 'TOTAL', 'CARRIED_OUT'].includes(code)) rules.push('R1')
  if (code === 'TOTAL' || outcomes.has(code)) rules.push('R3')
  return rules.sort()
}

test('the Huaian 2024 report is consistent', () => {
  const result = checkReport(huaian())
  expect(result.findings).toEqual([])
})

describe('changing one cell of section 三 is reported by every rule it breaks, each naming that cell', () => {
  const cases = f.applicationRows.flatMap((r) => [0, 3, 6].map((col) => [r.code, col] as const))
  test.each(cases)('%s column %i', (code, col) => {
    const report = huaian()
    report.applications.rows[code]![col]! += 1
    const findings = checkReport(report).findings
    const cell = `applications.${code}[${col}]`
    expect([...new Set(findings.map((x) => x.rule))].sort()).toEqual(rulesOfApplicationCell(code))
    for (const finding of findings) {
      expect([...finding.left, ...finding.right].map((c) => c.cell)).toContain(cell)
      expect(finding.message).toMatch(/^R\d（/)
      expect(finding.leftSum - finding.rightSum).not.toBe(0)
    }
  })
})

describe('changing one cell of section 四 breaks R4 for its group and names the cell', () => {
  test.each(appealGroups.flatMap((g) => [0, 2, 4].map((i) => [g, i] as const)))('%s column %i', (group, i) => {
    const report = huaian()
    report.appeals[group]![i]! += 3
    const findings = checkReport(report).findings
    expect(findings.map((x) => x.rule)).toEqual(['R4'])
    expect([...findings[0]!.left, ...findings[0]!.right].map((c) => c.cell)).toContain(`appeals.${group}[${i}]`)
  })
})

test('a message gives both sides in Chinese, as report-interchange.md shows', () => {
  const report = huaian()
  report.applications.rows.NEW![0] = 3002
  const r1 = checkReport(report).findings.find((x) => x.rule === 'R1')!
  expect(r1.message).toBe(
    'R1（自然人列）：本年新收 3002 + 上年结转 34 = 3036，不等于 （七）总计 2932 + 结转下年度继续办理 103 = 3035',
  )
  expect(r1.severity).toBe('error')
})

test('a blank cell counts as 0 and is named as blank', () => {
  const report = huaian()
  report.applications.rows.GRANTED![1] = null
  const findings = checkReport(report).findings
  expect(findings.length).toBeGreaterThan(0)
  for (const x of findings) {
    expect(x.blankCells).toContain('applications.GRANTED[1]')
    expect(x.message).toContain('空白')
  }
})

test('a negative or fractional count breaks R5; a 万元 amount may be fractional', () => {
  const report = huaian()
  report.appeals.litigationDirect![0] = -1
  report.appeals.litigationDirect![4] = 24
  const r5 = checkReport(report).findings.filter((x) => x.rule === 'R5')
  expect(r5.map((x) => x.left[0]!.cell)).toEqual(['appeals.litigationDirect[0]'])
  expect(hasErrors(checkReport(huaian()))).toBe(false)
})

test('a missing part is reported as not checked, never as broken', () => {
  const report = huaian()
  delete report.applications.rows.TOTAL
  report.missing = ['applications.TOTAL']
  const result = checkReport(report)
  expect(result.findings.filter((x) => x.rule === 'R1' || x.rule === 'R3')).toEqual([])
  expect(result.notChecked.map((n) => n.rule)).toEqual(expect.arrayContaining(['R1', 'R3']))
})

test("across years: carried in must equal last year's carried out (X1), documents in force follow issued and repealed (X2), both as warnings", () => {
  const previous = huaian()
  const report = huaian()
  previous.applications.rows.CARRIED_OUT = [34, 0, 0, 0, 0, 0, 34]
  report.year = 2025
  const clean = checkReport(report, previous).findings
  expect(clean.filter((x) => x.rule === 'X1')).toEqual([])
  const x2 = clean.filter((x) => x.rule === 'X2')
  // Last year 66 in force, 8 issued and 26 repealed this year: 48 expected, 66 reported.
  expect(x2.map((x) => x.severity)).toEqual(['warning', 'warning'])
  previous.applications.rows.CARRIED_OUT = [30, 0, 0, 0, 0, 0, 34]
  const x1 = checkReport(report, previous).findings.filter((x) => x.rule === 'X1')
  expect(x1.map((x) => x.left[0]!.cell)).toEqual(['applications.CARRIED_IN[0]'])
  expect(x1[0]!.severity).toBe('warning')
})

test('N1: a narrative figure that disagrees with the table is a warning naming both numbers', () => {
  const report = huaian()
  report.sections.overview =
    '2024年，全市共受理政府信息公开申请3119件，答\n复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。政府信息公开行政复议351件；政府信息公开行政诉讼46件。'
  expect(checkReport(report).findings).toEqual([])
  report.sections.overview = report.sections.overview.replace(
    '受理政府信息公开申请3119件',
    '受理政府信息公开申请3120件',
  )
  const n1 = checkReport(report).findings
  expect(n1.map((x) => [x.rule, x.severity, x.message])).toEqual([
    ['N1', 'warning', 'N1（本年新收申请）：总体情况写明 3120 件，表格为 3119 件'],
  ])
  expect(hasErrors(checkReport(report))).toBe(false)
})
