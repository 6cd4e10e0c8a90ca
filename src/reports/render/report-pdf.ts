import { pdfmake } from '../../documents/pdf.ts'
import type { Node } from '../../documents/pdf.ts'
import { sectionTitles } from '../report-format.ts'
import type { AnnualReport } from '../report.ts'
import { reportTitle } from './report-html.tsx'
import { appealsGrid, applicationsGrid, article20Grid, cellText, placeCells } from './report-grid.ts'
import type { Grid } from './report-grid.ts'

// The annual report as PDF (documents/pdf.ts holds the pdfmake set-up and its font).

function gridTable(grid: Grid, fontSize: number, widths: (string | number)[] = Array(grid.width).fill('*')): Node {
  const body: Node[][] = grid.rows.map(() => Array.from({ length: grid.width }, () => ({})))
  for (const { row, col, cell } of placeCells(grid)) {
    body[row]![col] = {
      text: cell.kind === 'label' ? cell.text : cellText(cell),
      colSpan: cell.colSpan,
      rowSpan: cell.rowSpan,
      alignment: 'center',
      fontSize: cell.kind === 'label' && cell.note ? fontSize - 1 : fontSize,
    }
  }
  return { table: { headerRows: grid.headerRows, widths, body, dontBreakRows: true }, margin: [0, 4, 0, 10] }
}

const paragraphs = (text: string | null): Node[] =>
  (text ?? '无。')
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ text: p, margin: [0, 0, 0, 6], leadingIndent: 21 }))

export async function renderReportPdf(report: AnnualReport): Promise<Buffer> {
  const heading = (text: string): Node => ({ text, bold: true, fontSize: 13, margin: [0, 10, 0, 6] })
  const doc = {
    info: { title: reportTitle(report), creator: 'Gongkai' },
    pageSize: 'A4',
    pageMargins: [56, 60, 56, 60],
    defaultStyle: { font: 'NotoSansSC', fontSize: 10.5, lineHeight: 1.4 },
    footer: (page: number, pages: number) => ({
      text: `第 ${page} 页 共 ${pages} 页`,
      alignment: 'center',
      fontSize: 9,
      margin: [0, 20, 0, 0],
    }),
    content: [
      { text: reportTitle(report), bold: true, fontSize: 18, alignment: 'center', margin: [0, 0, 0, 16] },
      heading(sectionTitles.overview),
      ...paragraphs(report.sections.overview),
      heading(sectionTitles.article20),
      gridTable(article20Grid(report), 10, ['28%', '*', '*', '*']),
      heading(sectionTitles.applications),
      gridTable(applicationsGrid(report), 8, [34, 42, 86, '*', '*', '*', '*', '*', '*', '*']),
      heading(sectionTitles.appeals),
      gridTable(appealsGrid(report), 7.5),
      heading(sectionTitles.problems),
      ...paragraphs(report.sections.problems),
      heading(sectionTitles.other),
      ...paragraphs(report.sections.other),
    ],
  }
  return pdfmake().createPdf(doc).getBuffer()
}
