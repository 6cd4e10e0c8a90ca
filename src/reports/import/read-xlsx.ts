import ExcelJS from 'exceljs'
import { tokenizeCell, tokenizeLine } from './tokens.ts'
import type { Token } from './tokens.ts'

// XLSX, sheet by sheet in order and row by row: a number cell is a value, an empty cell inside the
// table a blank, a merged cell is read once (at its top-left).

export async function readXlsx(bytes: Buffer): Promise<Token[]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const cached = await cachedFormulaResults(bytes)
  const out: Token[] = []
  wb.eachSheet((ws) => {
    if (ws.state !== 'visible') return // only what a person sees is read
    const results = cached.get(ws.name)
    const width = ws.columnCount
    // Blank cells count up to the table's right edge (the last column holding a figure anywhere in
    // the sheet), not to the sheet's: a title merged across more columns leaves blanks past the table.
    let edge = 1
    ws.eachRow((row) =>
      row.eachCell((cell, c) => {
        const v = cell.value
        if (typeof v === 'number' || isFormula(v) || (typeof v === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(v)))
          edge = Math.max(edge, c)
      }),
    )
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r)
      if (!row.hasValues) continue
      if (width === 1) {
        tokenizeLine(String(cellText(row.getCell(1)) ?? ''), out)
        continue
      }
      let last = 1
      row.eachCell((cell, c) => {
        if (cellText(cell)?.trim()) last = Math.max(last, c)
      })
      for (let c = 1; c <= Math.max(last, edge); c++) {
        const cell = row.getCell(c)
        if (cell.isMerged && cell.master.address !== cell.address) continue
        const v = cell.value
        if (typeof v === 'number') out.push({ t: 'value', v, raw: String(v), sp: true, cell: true })
        else if (isFormula(v) && (v.result === undefined || v.result === null))
          tokenizeCell(results?.get(cell.address) ?? '', out)
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

const isFormula = (v: ExcelJS.CellValue): v is ExcelJS.CellFormulaValue =>
  typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v)

/**
 * The value each formula cell last showed, from the sheet's own XML: ExcelJS drops a cached result
 * of 0, which a report's 总计 column (=SUM of six zeros) holds in most rows.
 */
async function cachedFormulaResults(bytes: Buffer): Promise<Map<string, Map<string, string>>> {
  const JSZip = (await import('jszip')).default
  const zip = await JSZip.loadAsync(bytes)
  const workbook = (await zip.file('xl/workbook.xml')?.async('string')) ?? ''
  const rels = (await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? ''
  const targets = new Map<string, string>()
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1]
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1]
    if (id && target) targets.set(id, target.replace(/^\/?(?:xl\/)?/, 'xl/'))
  }
  const out = new Map<string, Map<string, string>>()
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1]
    const rid = /\br:id="([^"]+)"/.exec(m[0])?.[1]
    const xml = rid && targets.get(rid) ? await zip.file(targets.get(rid)!)?.async('string') : undefined
    if (!name || !xml) continue
    const cells = new Map<string, string>()
    for (const c of xml.matchAll(/<c\b([^>]*)>(.*?)<\/c>/gs)) {
      const address = /\br="([A-Z]+\d+)"/.exec(c[1]!)?.[1]
      const body = c[2]!
      if (!address || !/<f\b/.test(body) || /\bt="(?:s|str|e|b)"/.test(c[1]!)) continue
      const v = /<v>([^<]*)<\/v>/.exec(body)?.[1]
      if (v !== undefined) cells.set(address, v)
    }
    out.set(unescapeXml(name), cells)
  }
  return out
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
