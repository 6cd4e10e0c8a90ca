import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx'
import { sectionTitles } from '../report-format.ts'
import type { AnnualReport } from '../report.ts'
import { reportTitle } from './report-html.tsx'
import { appealsGrid, applicationsGrid, article20Grid, cellText } from './report-grid.ts'
import type { Grid } from './report-grid.ts'

// DOCX in the layout of the official template (report-template-2021.docx): 方正小标宋 title, 黑体
// headings, 仿宋_GB2312 text, the tables with their merged cells. Fonts are named as eastAsia fonts,
// as government documents set them (stack.md §2.6).

const body = (text: string, opts: { bold?: boolean; size?: number; font?: string } = {}) =>
  new TextRun({
    text,
    bold: opts.bold,
    size: opts.size ?? 32,
    font: { eastAsia: opts.font ?? '仿宋_GB2312', ascii: 'Times New Roman' },
  })

const paragraphs = (text: string | null) =>
  (text ?? '无。')
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new Paragraph({ children: [body(p)], indent: { firstLine: 640 }, spacing: { line: 560 } }))

const heading = (text: string) =>
  new Paragraph({
    heading: HeadingLevel.HEADING_2,
    children: [body(text, { font: '黑体' })],
    spacing: { before: 200, after: 100 },
  })

function gridTable(grid: Grid): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: grid.rows.map(
      (cells, r) =>
        new TableRow({
          tableHeader: r < grid.headerRows,
          children: cells.map(
            (cell) =>
              new TableCell({
                columnSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
                rowSpan: cell.rowSpan > 1 ? cell.rowSpan : undefined,
                verticalAlign: VerticalAlign.CENTER,
                children: [
                  new Paragraph({
                    alignment: AlignmentType.CENTER,
                    children: [body(cell.kind === 'label' ? cell.text : cellText(cell), { size: 21 })],
                  }),
                ],
              }),
          ),
        }),
    ),
  })
}

export async function renderReportDocx(report: AnnualReport): Promise<Buffer> {
  const doc = new Document({
    creator: 'Gongkai',
    title: reportTitle(report),
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            heading: HeadingLevel.TITLE,
            children: [body(reportTitle(report), { size: 44, font: '方正小标宋简体' })],
            spacing: { after: 300 },
          }),
          heading(sectionTitles.overview),
          ...paragraphs(report.sections.overview),
          heading(sectionTitles.article20),
          gridTable(article20Grid(report)),
          heading(sectionTitles.applications),
          gridTable(applicationsGrid(report)),
          heading(sectionTitles.appeals),
          gridTable(appealsGrid(report)),
          heading(sectionTitles.problems),
          ...paragraphs(report.sections.problems),
          heading(sectionTitles.other),
          ...paragraphs(report.sections.other),
        ],
      },
    ],
  })
  return Packer.toBuffer(doc)
}
