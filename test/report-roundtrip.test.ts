import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { importReport } from '../src/reports/import/read-file.ts'
import { renderReportDocument } from '../src/reports/render/report-html.tsx'
import { renderReportXlsx } from '../src/reports/render/report-xlsx.ts'
import { renderReportDocx } from '../src/reports/render/report-docx.ts'
import { renderReportPdf } from '../src/reports/render/report-pdf.ts'
import type { AnnualReport } from '../src/reports/report.ts'
import { arbitraryReport } from './support/report-arbitrary.ts'

// Render → import gives back the same data (issue #3 §4): the importer reads the visible tables.

type Exporter = { name: string; file: string; render: (r: AnnualReport) => Promise<Buffer>; runs?: number }
const exporters: Exporter[] = [
  { name: 'HTML', file: 'report.html', render: async (r) => Buffer.from(renderReportDocument(r)) },
  { name: 'JSON', file: 'report.json', render: async (r) => Buffer.from(JSON.stringify(r)) },
  { name: 'XLSX', file: 'report.xlsx', render: renderReportXlsx },
  { name: 'DOCX', file: 'report.docx', render: renderReportDocx },
  { name: 'PDF', file: 'report.pdf', render: renderReportPdf, runs: 12 },
]

const comparable = (r: AnnualReport) => ({
  format: r.format,
  year: r.year,
  agency: r.agency,
  article20: r.article20,
  applications: r.applications.rows,
  appeals: r.appeals,
  sections: r.sections,
})

describe.each(exporters)('$name export', ({ render, file, runs }) => {
  test('imports back to the same report, for random valid reports with blank cells', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryReport({ blanks: true }), async (report) => {
        const back = await importReport(await render(report), file)
        expect(comparable(back)).toEqual(comparable(report))
        expect(back.missing).toEqual([])
      }),
      { numRuns: runs ?? 60 },
    )
  })
})

test('the PDF embeds its CJK font and its text extracts as real characters, never radical code points', async () => {
  const { readPdf } = await import('../src/reports/import/read-pdf.ts')
  const report = fc.sample(arbitraryReport(), { numRuns: 1, seed: 7 })[0]!
  const pdf = await renderReportPdf(report)
  const raw = pdf.toString('latin1')
  expect(raw).toMatch(/\/FontFile2/)
  expect(raw).toMatch(/NotoSansSC/)
  const tokens = await readPdf(new Uint8Array(pdf))
  const text = tokens.map((t) => (t.t === 'text' ? t.s : '')).join('')
  expect(text).toContain('政府信息公开工作年度报告')
  expect(text).toContain('收到和处理政府信息公开申请情况')
  expect(text).not.toMatch(/[\u2e80-\u2fdf]/)
})

test('the XLSX stores the figures as numbers, one sheet per table', async () => {
  const ExcelJS = (await import('exceljs')).default
  const report = fc.sample(arbitraryReport(), { numRuns: 1, seed: 3 })[0]!
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load((await renderReportXlsx(report)) as unknown as ArrayBuffer)
  expect(wb.worksheets.map((w) => w.name)).toEqual(['总体情况', '主动公开', '依申请公开', '复议诉讼', '问题与其他'])
  const sheet = wb.getWorksheet('依申请公开')!
  const newRow = sheet.getRow(5)
  expect(String(newRow.getCell(1).value)).toBe('一、本年新收政府信息公开申请数量')
  expect(newRow.getCell(10).value).toBe(report.applications.rows.NEW![6])
  expect(typeof newRow.getCell(10).value).toBe('number')
})
