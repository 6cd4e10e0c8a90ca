import { normaliseText } from './normalize.ts'

// Every reader (text, HTML, DOCX, PDF, XLSX) turns its input into one stream of tokens: label text,
// values (a number, or null for a cell known to be blank) and line/row breaks. The parser works on
// that stream only, so a flattened web page and a real table are read by the same rules.

export type Token =
  /** In a PDF, `left` is where the item holding the text begins. */
  | { t: 'text'; s: string; sp: boolean; left?: number }
  | {
      t: 'value'
      v: number | null
      raw: string
      sp: boolean
      x?: number
      /** In a PDF, where the item holding the value begins (tables set flush left are placed by it). */
      left?: number
      /** The whole content of a table cell (HTML, DOCX, XLSX, or set off by | or a tab): never split or joined. */
      cell?: boolean
      /** Dashes written together ("————"): one to several blank cells, for the row's count to settle. */
      nulls?: [number, number]
      /** Words or a line break stand before it: it never joins the digits before it into one number. */
      apart?: boolean
      /** A "-" run on between two figures: a blank cell, or the second figure's minus sign. */
      hyphen?: boolean
    }
  | { t: 'break' }

const numberRe = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/
// A number followed by one of these is part of the words (2024年, 第3条, 100%), not a table cell.
const wordSuffix = /^(?:年|月|日|号|条|项|季度|次|%|页|期|号令|时|点|周|天|人次|名|位|家|批|届|版|份)/
// A dash, slash or 无 standing alone in a cell means "nothing to report": a blank, not a zero.
const placeholder = /^(?:[-—–－/／\\]+|无|空)$/

export const parseNumber = (raw: string): number => Number(raw.replace(/,/g, ''))

type ValueToken = Extract<Token, { t: 'value' }>

/** A value after words or a line break stands apart: it never joins the digits before it. */
function emitValue(out: Token[], tok: ValueToken): void {
  if (out.length === 0 || out[out.length - 1]!.t !== 'value') tok.apart = true
  out.push(tok)
}

/** Splits one piece of text (no whitespace inside) into words, numbers and blank marks. */
export function splitPiece(piece: string, sp: boolean, out: Token[]): void {
  if (placeholder.test(piece)) {
    out.push({ t: 'value', v: null, raw: piece, sp })
    return
  }
  // Numbers, and dashes or slashes standing where a cell was ("0——0", "总计/ / /", "—/—/74" run together).
  // A sign belongs to a number only where a cell begins (the piece's start, or after a bracket);
  // run on after words or figures, "-" is a blank's mark.
  const re =
    /(?:(?<=^)|(?<=[(（]))[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[—–－\-/／]+/g
  let last = 0
  let first = true
  for (const m of piece.matchAll(re)) {
    const start = m.index
    const end = start + m[0].length
    const before = piece.slice(last, start)
    const after = piece.slice(end)
    if (!/\d/.test(m[0])) {
      // A mark is a blank cell only beside a number or at an end of the piece: never inside words.
      const head = piece.slice(0, start)
      const edgeBefore = head === '' || /[\d\p{Script=Han}）)”"]$/u.test(head)
      const edgeAfter = after === '' || /^[\d\p{Script=Han}（(]/u.test(after)
      const beside = head === '' || after === '' || /\d$/.test(head) || /^\d/.test(after)
      // A slash between figures is a blank cell, except in a date (2024/1/1, 2024/12).
      const date =
        (/(?:^|\D)(?:19|20)\d\d$/.test(head) && /^[/／](?:0?[1-9]|1[0-2])(?:\D|$)/.test(m[0] + after)) ||
        (/(?:19|20)\d\d[/／]\d{1,2}$/.test(head) && /^[/／]\d{1,2}(?:\D|$)/.test(m[0] + after))
      const between = /\d$/.test(head) && /^\d/.test(after) && m[0].length === 1 && /[/／]/.test(m[0]) && date
      if (!edgeBefore || !edgeAfter || !beside || between) continue
      if (before) out.push({ t: 'text', s: before, sp: first ? sp : false })
      // A slash is one blank; a dash one, or half of a "——" that is one.
      const slashes = (m[0].match(/[/／]/g) ?? []).length
      const dashes = m[0].length - slashes
      emitValue(out, {
        t: 'value',
        v: null,
        raw: m[0],
        sp: before ? false : first ? sp : false,
        nulls: [slashes + Math.ceil(dashes / 2), slashes + dashes],
        // "-" run on between figures may also be a minus sign: a row without sums cannot tell.
        ...(/^[-－]$/.test(m[0]) && /\d$/.test(head) && /^\d/.test(after) ? { hyphen: true } : {}),
      })
      first = false
      last = end
      continue
    }
    // 1.属于国家秘密, 2、重复申请, (3): an item number, not a cell.
    // A bare "3." is an item number whose label went on to the next line.
    const itemNumber =
      (/^[.、．)）]/.test(after) && !/^\.\d/.test(after) && after.length > 1) ||
      (/^[.、．]$/.test(after) && before === '' && m[0].length <= 2)
    // The cells of a row run into the next row's item number: "0000000" + "2.其他法律…".
    const gluedItem = itemNumber && /^\d{2,}$/.test(m[0]) && /[1-9]$/.test(m[0]) && /^[.、．]\D/.test(after)
    const inWords =
      wordSuffix.test(after) ||
      /[第约共近超逾余]$/.test(before) ||
      (/计$/.test(before) && !/[总合]计$/.test(before)) ||
      /^[a-zA-Z@]/.test(after) ||
      /[a-zA-Z@:]$/.test(before)
    const numText = gluedItem ? m[0].slice(0, -1) : m[0]
    const textBefore = before
    if ((itemNumber && !gluedItem) || inWords) continue
    if (textBefore) out.push({ t: 'text', s: textBefore, sp: first ? sp : false })
    const unit = gluedItem ? '' : (/^(万元|万|元|件|个)/.exec(after)?.[1] ?? '')
    emitValue(out, {
      t: 'value',
      v: parseNumber(numText),
      raw: numText + unit,
      sp: textBefore ? false : first ? sp : false,
    })
    first = false
    last = gluedItem ? end - 1 : end + unit.length
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
      out.push({ t: 'value', v: null, raw: '', sp: true, cell: true })
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
      if (!c.trim()) out.push({ t: 'value', v: null, raw: '', sp: true, cell: true })
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
    out.push({ t: 'value', v: null, raw: '', sp: true, cell: true })
    return
  }
  const compact = cell.replace(/\s+/g, '')
  const unitless = compact.replace(/(万元|万|元|件|个)$/, '')
  if (numberRe.test(unitless)) {
    out.push({ t: 'value', v: parseNumber(unitless), raw: compact, sp: true, cell: true })
    return
  }
  if (placeholder.test(compact)) {
    out.push({ t: 'value', v: null, raw: compact, sp: true, cell: true })
    return
  }
  for (const piece of cell.split(/\s+/).filter(Boolean)) splitPiece(piece, true, out)
}

export function tokenizeText(text: string): Token[] {
  const out: Token[] = []
  for (const line of text.split(/\r?\n|\r/)) tokenizeLine(line, out)
  return out
}
