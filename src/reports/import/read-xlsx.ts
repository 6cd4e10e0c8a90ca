import ExcelJS from 'exceljs'
import { tokenizeCell, tokenizeLine } from './tokens.ts'
import type { Token } from './tokens.ts'

// XLSX, sheet by sheet in order and row by row: a number cell is a value, an empty cell inside the
// table a blank, a merged cell is read once (at its top-left).

export async function readXlsx(bytes: Buffer): Promise<Token[]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const out: Token[] = []
  wb.eachSheet((ws) => {
    if (ws.state !== 'visible') return // only what a person sees is read
    const width = ws.columnCount
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r)
      if (!row.hasValues) continue
      if (width === 1) {
        tokenizeLine(String(cellText(row.getCell(1)) ?? ''), out)
        continue
      }
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c)
        if (cell.isMerged && cell.master.address !== cell.address) continue
        const v = cell.value
        if (typeof v === 'number') out.push({ t: 'value', v, raw: String(v), sp: true })
        else tokenizeCell(cellText(cell) ?? '', out)
      }
      out.push({ t: 'break' })
    }
  })
  return out
}

function cellText(cell: ExcelJS.Cell): string | null {
  const v = cell.value
  if (v === null || v === undefined) return null
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('')
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '')
  return String(v)
}
