import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { importReport } from '../src/reports/import/read-file.ts'
import { renderReportDocument } from '../src/reports/render/report-html.tsx'
import { renderReportXlsx } from '../src/reports/render/report-xlsx.ts'
import { renderReportDocx } from '../src/reports/render/report-docx.ts'
import type { AnnualReport } from '../src/reports/report.ts'
import { arbitraryReport } from './support/report-arbitrary.ts'

// Render → import gives back the same data (issue #3 §4): the importer reads the visible tables.

type Exporter = { name: string; file: string; render: (r: AnnualReport) => Promise<Buffer> }
const exporters: Exporter[] = [
  { name: 'HTML', file: 'report.html', render: async (r) => Buffer.from(renderReportDocument(r)) },
  { name: 'JSON', file: 'report.json', render: async (r) => Buffer.from(JSON.stringify(r)) },
  { name: 'XLSX', file: 'report.xlsx', render: renderReportXlsx },
  { name: 'DOCX', file: 'report.docx', render: renderReportDocx },
]

const comparable = (r: AnnualReport) => ({ format: r.format, year: r.year, agency: r.agency, article20: r.article20, applications: r.applications.rows, appeals: r.appeals, sections: r.sections })

describe.each(exporters)('$name export', ({ render, file }) => {
  test('imports back to the same report, for random valid reports with blank cells', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryReport({ blanks: true }), async (report) => {
        const back = await importReport(await render(report), file)
        expect(comparable(back)).toEqual(comparable(report))
        expect(back.missing).toEqual([])
      }),
      { numRuns: 60 },
    )
  })
})
