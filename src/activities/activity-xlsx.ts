import ExcelJS from 'exceljs'
import { AppError } from '../errors.ts'
import { checkOfficeZip, defaultParseLimits } from '../files/parse-limits.ts'
import type { ParseLimits } from '../files/parse-limits.ts'

/**
 * The cells of an XLSX's first visible sheet as text, row by row; in a parse worker (files/parse-worker.ts),
 * the whole file checked against the limits first.
 */
export async function xlsxTable(bytes: Buffer, limits: ParseLimits = defaultParseLimits): Promise<string[][]> {
  await checkOfficeZip(bytes, limits, 'whole')
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch {
    throw new AppError('invalid_input', 'XLSX 文件无法读取', { file: 'XLSX 文件无法读取' })
  }
  const ws = wb.worksheets.find((w) => w.state === 'visible')
  const table: string[][] = []
  ws?.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = []
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = row.getCell(c).value
      cells.push(
        v instanceof Date
          ? v.toISOString().slice(0, 10)
          : v === null || v === undefined
            ? ''
            : typeof v === 'object' && 'result' in v
              ? String(v.result ?? '')
              : typeof v === 'object' && 'text' in v
                ? String(v.text)
                : String(v),
      )
    }
    table[n - 1] = cells
  })
  return Array.from(table, (r) => r ?? [])
}
