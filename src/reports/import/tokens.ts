import { normaliseText } from './normalize.ts'

// Every reader (text, HTML, DOCX, PDF, XLSX) turns its input into one stream of tokens: label text,
// values (a number, or null for a cell known to be blank) and line/row breaks. The parser works on
// that stream only, so a flattened web page and a real table are read by the same rules.

export type Token =
  | { t: 'text'; s: string; sp: boolean }
  | { t: 'value'; v: number | null; raw: string; sp: boolean; x?: number }
  | { t: 'break' }

const numberRe = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/
// A number followed by one of these is part of the words (2024年, 第3条, 100%), not a table cell.
const wordSuffix = /^(?:年|月|日|号|条|项|季度|次|%|页|期|号令|时|点|周|天|人次|名|位|家|批|届|版|份)/
// A dash, slash or 无 standing alone in a cell means "nothing to report": a blank, not a zero.
const placeholder = /^(?:[-—–－/／\\]+|无|空)$/

export const parseNumber = (raw: string): number => Number(raw.replace(/,/g, ''))

/** Splits one piece of text (no whitespace inside) into words and numbers. */
export function splitPiece(piece: string, sp: boolean, out: Token[]): void {
  if (placeholder.test(piece)) {
    out.push({ t: 'value', v: null, raw: piece, sp })
    return
  }
  const re = /[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/g
  let last = 0
  let first = true
  for (const m of piece.matchAll(re)) {
    const start = m.index
    const end = start + m[0].length
    const before = piece.slice(last, start)
    const after = piece.slice(end)
    // 1.属于国家秘密, 2、重复申请, (3): an item number, not a cell.
    // A bare "3." is an item number whose label went on to the next line.
    const itemNumber =
      (/^[.、．)）]/.test(after) && !/^\.\d/.test(after) && after.length > 1) ||
      (/^[.、．]$/.test(after) && before === '' && m[0].length <= 2)
    const inWords =
      wordSuffix.test(after) ||
      /[第约共计近超逾余]$/.test(before) ||
      /^[a-zA-Z@]/.test(after) ||
      /[a-zA-Z@:/]$/.test(before)
    // A sign belongs to the number only at the start of a cell ("+2", "-1"), not inside words.
    let numText = m[0]
    let textBefore = before
    if (/^[+-]/.test(numText) && before.length > 0) {
      textBefore = before + numText[0]
      numText = numText.slice(1)
    }
    if (itemNumber || inWords) continue
    if (textBefore) out.push({ t: 'text', s: textBefore, sp: first ? sp : false })
    const unit = /^(万元|万|元|件|个)/.exec(after)?.[1] ?? ''
    out.push({ t: 'value', v: parseNumber(numText), raw: numText + unit, sp: textBefore ? false : first ? sp : false })
    first = false
    last = end + unit.length
  }
  const rest = piece.slice(last)
  if (rest) out.push({ t: 'text', s: rest, sp: first ? sp : false })
}

/** Page furniture that copies of published reports carry into tables: page numbers, print headers. */
export const isFurniture = (line: string) =>
  /^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)\s*$/.test(line)

/**
 * One line of flattened text. Cells separated by `|` or tabs may be empty: an empty cell between
 * two filled ones, or a line holding nothing but the separator, is a blank cell. After the last
 * filled cell, `|` padding stands for merged cells (as pages flatten them, one cell a line), while
 * tabs copied from a spreadsheet or document table keep each empty cell: those are blanks.
 */
export function tokenizeLine(rawLine: string, out: Token[]): void {
  const line = normaliseText(rawLine)
  if (!line.trim() || isFurniture(line)) return
  const separator = line.includes('|') ? '|' : line.includes('\t') ? '\t' : undefined
  if (separator) {
    if (/^\s*\|[\s|]*$/.test(line)) {
      out.push({ t: 'value', v: null, raw: '', sp: true })
      out.push({ t: 'break' })
      return
    }
    const cells = line.split(separator)
    let lastFilled = -1
    cells.forEach((c, i) => {
      if (c.trim()) lastFilled = i
    })
    const keepTrailing = separator === '\t'
    cells.forEach((c, i) => {
      if (i > lastFilled && !keepTrailing) return
      if (!c.trim()) out.push({ t: 'value', v: null, raw: '', sp: true })
      else tokenizeCell(c, out)
    })
  } else {
    // PDF text often sets "2024 年" or "12 月 31 日" with a space: a number before a date word is words.
    const joined = line.replace(/(\d)\s+(?=[年月日号])/g, '$1')
    for (const piece of joined.split(/\s+/).filter(Boolean)) splitPiece(piece, true, out)
  }
  out.push({ t: 'break' })
}

/** The content of one real table cell: a number alone is a value; an empty cell is a blank. */
export function tokenizeCell(rawCell: string, out: Token[]): void {
  const cell = normaliseText(rawCell).trim()
  if (!cell) {
    out.push({ t: 'value', v: null, raw: '', sp: true })
    return
  }
  const compact = cell.replace(/\s+/g, '')
  const unitless = compact.replace(/(万元|万|元|件|个)$/, '')
  if (numberRe.test(unitless)) {
    out.push({ t: 'value', v: parseNumber(unitless), raw: compact, sp: true })
    return
  }
  if (placeholder.test(compact)) {
    out.push({ t: 'value', v: null, raw: compact, sp: true })
    return
  }
  for (const piece of cell.split(/\s+/).filter(Boolean)) splitPiece(piece, true, out)
}

export function tokenizeText(text: string): Token[] {
  const out: Token[] = []
  for (const line of text.split(/\r?\n|\r/)) tokenizeLine(line, out)
  return out
}
