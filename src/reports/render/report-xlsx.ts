import ExcelJS from 'exceljs'
import { sectionTitles } from '../report-format.ts'
import type { AnnualReport } from '../report.ts'
import { reportTitle } from './report-html.tsx'
import { appealsGrid, applicationsGrid, article20Grid, placeCells } from './report-grid.ts'
import type { Grid } from './report-grid.ts'

// XLSX: one sheet per table, numbers stored as numbers, merged cells as in the official layout, and
// the narrative on sheets of its own before and after, so the workbook reads in the report's order.

const border = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
} as const

function textSheet(wb: ExcelJS.Workbook, name: string, blocks: [string, string | null][], title?: string) {
  const ws = wb.addWorksheet(name)
  ws.getColumn(1).width = 100
  if (title) ws.addRow([title]).font = { bold: true, size: 16 }
  for (const [heading, text] of blocks) {
    ws.addRow([heading]).font = { bold: true }
    for (const p of (text ?? '无。').split(/\n+/).filter(Boolean)) ws.addRow([p]).alignment = { wrapText: true }
  }
}

function gridSheet(wb: ExcelJS.Workbook, name: string, grid: Grid) {
  const ws = wb.addWorksheet(name)
  ws.mergeCells(1, 1, 1, grid.width)
  ws.getCell(1, 1).value = grid.title
  ws.getCell(1, 1).font = { bold: true }
  for (let c = 1; c <= grid.width; c++) ws.getColumn(c).width = grid.width > 4 ? 12 : 22
  for (const { row, col, cell } of placeCells(grid)) {
    const r = row + 2
    const c = col + 1
    if (cell.rowSpan > 1 || cell.colSpan > 1) ws.mergeCells(r, c, r + cell.rowSpan - 1, c + cell.colSpan - 1)
    const target = ws.getCell(r, c)
    if (cell.kind === 'label') {
      target.value = cell.text
      target.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' }
    } else {
      target.value = cell.value ?? null
      if (cell.cellKind === 'change') target.numFmt = '+0;-0;0'
      if (cell.cellKind === 'amountWan') target.numFmt = cell.unit ? '0.00"万元"' : '0.00'
      target.alignment = { horizontal: 'center' }
    }
    target.border = border
  }
}

export async function renderReportXlsx(report: AnnualReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Gongkai'
  textSheet(wb, '总体情况', [[sectionTitles.overview, report.sections.overview]], reportTitle(report))
  gridSheet(wb, '主动公开', article20Grid(report))
  gridSheet(wb, '依申请公开', applicationsGrid(report))
  gridSheet(wb, '复议诉讼', appealsGrid(report))
  textSheet(wb, '问题与其他', [
    [sectionTitles.problems, report.sections.problems],
    [sectionTitles.other, report.sections.other],
  ])
  return Buffer.from(await wb.xlsx.writeBuffer())
}
