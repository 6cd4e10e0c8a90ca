import { rejoinWrappedLines } from './paragraphs.ts'
import { appealGroups } from '../report-format.ts'
import { formatForYear, formats } from '../report-format.ts'
import type { ApplicationRow, FormatId, ReportFormat } from '../report-format.ts'
import { blankReport } from '../report.ts'
import type { AnnualReport, Cell } from '../report.ts'
import { squeeze } from './normalize.ts'
import type { Token } from './tokens.ts'
import { readRowValues } from './row-values.ts'
import type { Blocks } from './row-values.ts'
import { relationHolds, settleByColumns } from './table-solve.ts'
import type { ColumnRelation, OpenRow } from './table-solve.ts'

// Reads the interchange JSON out of a token stream. Rows are found by their anchors in order; the
// values of a row are those between its anchor and the next row's. Nothing is invented: a row not
// found is listed in `missing`, a blank cell is null, an unreadable row is `ambiguous`.

type Stream = { tokens: Token[]; text: string; owner: number[] }

function streamOf(tokens: Token[]): Stream {
  let text = ''
  const owner: number[] = []
  tokens.forEach((tok, i) => {
    if (tok.t !== 'text') return
    const s = squeeze(tok.s)
    text += s
    for (let k = 0; k < s.length; k++) owner.push(i)
  })
  return { tokens, text, owner }
}

/** The token index where a label match starts, searching the label text from `fromChar`. */
type Hit = { token: number; char: number; end: number; match: string }

function findAnchor(s: Stream, re: RegExp, fromChar: number, toChar = s.text.length): Hit | undefined {
  const slice = s.text.slice(fromChar, toChar)
  const m = re.exec(slice)
  if (!m) return undefined
  const char = fromChar + m.index
  return { token: s.owner[char]!, char, end: char + m[0].length, match: m[0] }
}

const sectionPatterns = {
  overview: [/[一1][、.]?总体情况/, /总体情况/],
  article20: [/[二2][、.]?主动公开政府信息(?:情况)?/, /主动公开政府信息情况/],
  applications: [/收到和处理政府信息公开申请(?:情况)?/, /收到和处理政府信息公开/],
  appeals: [/政府信息公开行政复议[、,]?行政诉讼(?:情况)?/, /行政复议[、,]?行政诉讼情况/],
  problems: [/存在的主要问题及改进情况/, /[五5][、.]?存在的主要问题/],
  other: [/其他需要报告的事项/, /[六6][、.]?其他需要报告/],
} as const
type SectionName = keyof typeof sectionPatterns
const order: SectionName[] = ['overview', 'article20', 'applications', 'appeals', 'problems', 'other']

type Located = Partial<Record<SectionName, Hit>>

function locateSections(s: Stream): Located {
  const found: Located = {}
  let from = 0
  for (const name of order) {
    for (const re of sectionPatterns[name]) {
      const hit = findAnchor(s, re, from)
      if (hit) {
        found[name] = hit
        from = hit.end
        break
      }
    }
  }
  return found
}

/** [start, end) in tokens and label characters of a section, from its heading to the next one found. */
function rangeOf(s: Stream, located: Located, name: SectionName) {
  const start = located[name]
  if (!start) return undefined
  const later = order
    .slice(order.indexOf(name) + 1)
    .map((n) => located[n])
    .find(Boolean)
  // A section that runs to the end of the text may have been cut off there.
  return {
    fromToken: start.token,
    toToken: later?.token ?? s.tokens.length,
    fromChar: start.end,
    toChar: later?.char ?? s.text.length,
    cutOff: !later,
  }
}

/**
 * The format by its own words; else by the year (law-and-format.md §2.1); else not known, and read
 * as the 2021 format while saying so.
 */
function detectFormat(s: Stream, located: Located, year: number | null): { format: FormatId; known: boolean } {
  const from = located.article20?.char ?? 0
  const to = located.problems?.char ?? s.text.length
  const tables = s.text.slice(from, to)
  if (/制发件数|废止件数|现行有效件数|逾期不补|收费通知|本年收费金额/.test(tables))
    return { format: '2021', known: true }
  if (/新制作数量|新公开数量|对外公开总数|上一年项目|对外管理服务|采购项目|采购总金额/.test(tables))
    return { format: '2019', known: true }
  return year !== null ? { format: formatForYear(year), known: true } : { format: '2021', known: false }
}

function detectYear(s: Stream, located: Located): number | null {
  const head = s.text.slice(0, located.overview?.char ?? Math.min(400, s.text.length))
  const all = s.text
  const patterns = [
    /(20\d\d)年度?(?:政府信息公开|政务公开)(?:工作)?年度?报告/,
    /统计期限?(?:为|自|从)?(20\d\d)年1月1日/,
    /截至(20\d\d)年12月31日/,
    /(20\d\d)年1月1日(?:起)?至(?:20\d\d年)?12月31日/,
  ]
  for (const text of [head, all]) {
    for (const re of patterns) {
      const m = re.exec(text)
      if (m) return Number(m[1])
    }
  }
  return null
}

const agencySuffix = /(人民政府|办公室|办公厅|委员会|局|厅|署|院|中心|街道办事处|街道|镇|乡|委|办|所|队|站|会)$/

function detectAgency(s: Stream, located: Located): string | null {
  const head = s.text.slice(0, located.overview?.char ?? Math.min(400, s.text.length))
  const m = /([\p{Script=Han}()（）]{2,40}?)(20\d\d)年度?(?:政府信息公开|政务公开)(?:工作)?年度?报告/u.exec(head)
  const byOffice = /本报告由(.{2,40}?)(?:根据|依据|按照)/.exec(head)
  const office = byOffice?.[1]?.replace(/办公室$/, '').replace(/办公厅$/, '') || null
  if (m?.[1] && agencySuffix.test(m[1])) {
    const titled = m[1]
      .replace(/^.*?(?:关于|发布|公开)(?=[\p{Script=Han}])/u, '')
      // Words a page puts before the title: "现将…", "现向社会公布…", site links, "年报".
      .replace(
        /^.*?(?:现将|现向社会公布|现予公布|现公布|予以公布|公布|登录|注册|首页|年报|印发)(?=[\p{Script=Han}]{2})/u,
        '',
      )
    // The title may leave out what the body says in full: 洪泽区人民政府 for 淮安市洪泽区人民政府.
    return office && office.length > titled.length && office.endsWith(titled) ? office : titled
  }
  return office
}

function narrative(s: Stream, located: Located, name: SectionName): string | null {
  const range = rangeOf(s, located, name)
  if (!range) return null
  const lines: string[] = []
  let line = ''
  // The heading itself is the first line of the range; the text starts after it.
  for (let i = range.fromToken; i < range.toToken; i++) {
    const tok = s.tokens[i]!
    if (tok.t === 'break') {
      lines.push(line)
      line = ''
      continue
    }
    const piece = tok.t === 'text' ? tok.s : tok.raw
    line += line && tok.sp && /[\w)]$/.test(line) && /^[\w(]/.test(piece) ? ` ${piece}` : piece
  }
  lines.push(line)
  const heading = sectionPatterns[name].find((re) => re.test(squeeze(lines[0] ?? '')))
  if (heading) lines[0] = squeeze(lines[0]!).replace(/^.*?(情况|事项)/, '')
  const text = rejoinWrappedLines(lines.map((l) => l.trim()).filter(Boolean))
    .join('\n')
    .trim()
  return text || null
}

type RowSlot = { key: string; anchor: RegExp; width: number; label?: string; blocks?: Blocks }

/**
 * Finds each row's anchor in order within [fromChar, toChar) and gives it the values up to the
 * next anchor found. A run of rows whose anchors were lost shares the span of the row before them
 * and is read in order when the count fits exactly.
 */
function readRows(
  s: Stream,
  slots: readonly RowSlot[],
  fromChar: number,
  toChar: number,
  toToken: number,
  cutOff = false,
  header?: { fromToken: number; columns: readonly RegExp[] },
) {
  const hits: (Hit | undefined)[] = []
  let from = fromChar
  for (const slot of slots) {
    const hit = findAnchor(s, slot.anchor, from, toChar)
    hits.push(hit && labelStart(s, slot, hit, from))
    if (hit) from = hit.end
  }
  const values = new Map<string, Cell[]>()
  const ambiguous: string[] = []
  const spans = new Map<number, ValueToken[]>()
  for (let i = 0; i < slots.length; i++) {
    const hit = hits[i]
    if (!hit) continue
    let next = i + 1
    while (next < slots.length && !hits[next]) next++
    spans.set(
      i,
      s.tokens
        .slice(hit.token, next < slots.length ? hits[next]!.token : toToken)
        .filter((t) => t.t === 'value') as ValueToken[],
    )
  }
  const centres = columnCentres(slots, spans)
  const firstHit = hits.find(Boolean)
  const fromHeader =
    header && firstHit ? headerColumns(s.tokens, header.fromToken, firstHit.token, header.columns) : undefined
  const open = new Map<string, OpenRow>()
  const relied: string[] = []
  for (let i = 0; i < slots.length; i++) {
    const hit = hits[i]
    if (!hit) continue
    let next = i + 1
    while (next < slots.length && !hits[next]) next++
    const endToken = next < slots.length ? hits[next]!.token : toToken
    const span = spans.get(i) ?? (s.tokens.slice(hit.token, endToken).filter((t) => t.t === 'value') as ValueToken[])
    const group = slots.slice(i, next)
    const width = group.reduce((n, g) => n + g.width, 0)
    if (group.length > 1 && span.length === width) {
      let k = 0
      for (const g of group) {
        values.set(
          g.key,
          span.slice(k, k + g.width).map((t) => t.v),
        )
        k += g.width
      }
      continue
    }
    const slot = slots[i]!
    // The text ends on this row's label: the page was cut off here, not a row of blanks.
    if (cutOff && next === slots.length && span.length === 0) continue
    const placed =
      span.length < slot.width
        ? (placeByColumn(span, centres.get(slot.width)) ??
          (fromHeader?.length === slot.width
            ? (placeByColumn(
                span,
                fromHeader.map((c) => c.centre),
              ) ??
              placeByColumn(
                span,
                fromHeader.map((c) => c.left),
                'left',
              ))
            : undefined))
        : undefined
    const read = placed ? { cells: placed, relied: false } : readRowValues(span, slot.width, slot.blocks)
    if ('cells' in read) {
      values.set(slot.key, read.cells)
      if (read.relied) relied.push(slot.key)
    } else {
      ambiguous.push(slot.key)
      open.set(slot.key, read)
    }
  }
  return { values, ambiguous, open, relied }
}

type ValueToken = Extract<Token, { t: 'value' }>

/**
 * A row begins where its label begins, not where its anchor happens to stand: in a PDF the values
 * are printed beside the first line of a label that wraps, before the anchor's line. The start is
 * moved back over as much of the known label as the text shows just before the anchor.
 */
function labelStart(s: Stream, slot: RowSlot, hit: Hit, from: number): Hit {
  if (!slot.label) return hit
  const label = squeeze(slot.label)
  const at = label.indexOf(hit.match)
  if (at <= 0) return hit
  const prefix = label.slice(0, at)
  let take = 0
  while (
    take < prefix.length &&
    hit.char - take - 1 >= from &&
    s.text[hit.char - take - 1] === prefix[prefix.length - take - 1]
  )
    take++
  if (take === 0) return hit
  const char = hit.char - take
  return { ...hit, token: s.owner[char]!, char }
}

/** Where each column's values were printed, from the rows of the table that have every cell (PDF only). */
function columnCentres(slots: readonly RowSlot[], spans: Map<number, ValueToken[]>): Map<number, number[]> {
  const byWidth = new Map<number, number[][]>()
  spans.forEach((span, i) => {
    const width = slots[i]!.width
    if (span.length !== width || span.some((t) => t.x === undefined)) return
    byWidth.set(width, [...(byWidth.get(width) ?? []), span.map((t) => t.x!)])
  })
  const centres = new Map<number, number[]>()
  byWidth.forEach((rows, width) => {
    centres.set(
      width,
      Array.from({ length: width }, (_, c) => median(rows.map((r) => r[c]!))),
    )
  })
  return centres
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/**
 * Where a table's columns stand, from its header words (PDF only): used when no row has every cell
 * filled, as in small agencies' tables whose organisation columns are blank throughout. Each
 * column's first header word gives its left edge and centre; the words must stand left to right.
 */
function headerColumns(tokens: readonly Token[], from: number, to: number, columns: readonly RegExp[]) {
  const words: { text: string; left: number; centre: number }[] = []
  for (let i = from; i < to; i++) {
    const t = tokens[i]!
    if (t.t !== 'text' || t.left === undefined) continue
    const last = words.at(-1)
    const prev = tokens[i - 1]
    if (last && prev?.t === 'text' && prev.left === t.left) last.text += squeeze(t.s)
    else words.push({ text: squeeze(t.s), left: t.left, centre: t.left })
  }
  const found = columns.map((re) => words.find((w) => re.test(w.text)))
  if (found.some((w) => !w)) return undefined
  const cols = found as { text: string; left: number }[]
  if (cols.some((c, i) => i > 0 && c.left <= cols[i - 1]!.left)) return undefined
  // A header word's centre is taken halfway to the next column's left edge.
  return cols.map((c, i) => ({ left: c.left, centre: i + 1 < cols.length ? (c.left + cols[i + 1]!.left) / 2 : c.left }))
}

/** Header words of section 三's columns: 自然人, the five organisation kinds, 总计. */
// Header cells are often set letter-spaced ("自 然 人", "法 律"), so a column is known by the start of its word.
export const applicantHeader = [/^自/, /^商/, /^科/, /^社/, /^法(?!人)/, /^其他?$/, /^总计?$/]

/** A row with blank cells, placed by where its values stand; undefined unless every value falls in its own column. */
function placeByColumn(span: ValueToken[], centres: number[] | undefined, by: 'x' | 'left' = 'x'): Cell[] | undefined {
  if (!centres || span.length === 0 || span.some((t) => t[by] === undefined)) return undefined
  const gap = Math.min(...centres.slice(1).map((c, i) => c - centres[i]!))
  const cells: Cell[] = Array<Cell>(centres.length).fill(null)
  const used = new Set<number>()
  for (const t of span) {
    const distances = centres.map((c) => Math.abs(c - t[by]!))
    const col = distances.indexOf(Math.min(...distances))
    if (used.has(col) || distances[col]! > gap / 2) return undefined
    used.add(col)
    cells[col] = t.v
  }
  return cells
}

/** R2: a row's 总计 is the sum of its six applicant columns. R4: each appeals group's 总计 is the sum of its four. */
const r2: Blocks = [[0, 7]]
const r4: Blocks = [
  [0, 5],
  [5, 5],
  [10, 5],
]

/** Labels of section 三's table, in its order: only a table prints them all, one after another. */
const tableChain = ['上年结转政府信息公开申请数量', '属于国家秘密', '本机关不掌握', '结转下年度继续办理']

/**
 * A compilation, or a side-by-side comparison, holds the tables of more than one report: read as
 * one, its rows would be mixed. Two signs, neither of which a single report's narrative gives: the
 * same table label twice on one line (tables side by side), or section 三's labels running through
 * twice in order (tables one after another). Returns why the file is refused, or undefined.
 */
export function severalReports(tokens: Token[]): string | undefined {
  let text = ''
  let line = ''
  let sideBySide = 0
  const labels = [...tableChain, '本年新收政府信息公开申请数量', '属于三类内部事务信息']
  for (const t of tokens) {
    if (t.t === 'text') {
      text += t.s
      line += t.s
    } else if (t.t === 'break') {
      if (labels.some((l) => line.split(l).length > 2)) sideBySide++
      line = ''
    }
  }
  if (labels.some((l) => line.split(l).length > 2)) sideBySide++
  let chains = 0
  let at = 0
  for (;;) {
    let pos = at
    for (const label of tableChain) {
      const found = text.indexOf(label, pos)
      pos = found < 0 ? -1 : found + label.length
      if (pos < 0) break
    }
    if (pos < 0) break
    chains++
    at = pos
  }
  if (sideBySide >= 2)
    return '文件中有两份年报的表格并排（同一行出现两次相同的表格项目）：可能是对比文件。请把每份年报单独保存后分别导入'
  if (chains >= 2)
    return `文件中有 ${chains} 份年报的表格（第三部分的表格出现 ${chains} 次）：可能是汇编文件。请把每份年报单独保存后分别导入`
  return undefined
}

export function parseReport(tokens: Token[]): AnnualReport {
  const s = streamOf(tokens)
  const located = locateSections(s)
  const year = detectYear(s, located)
  const { format, known: formatKnown } = detectFormat(s, located, year)
  const f: ReportFormat = formats[format]
  const report = blankReport(format, year, detectAgency(s, located))
  const undetermined: NonNullable<AnnualReport['undetermined']> = []
  if (year === null) undetermined.push('year')
  if (report.agency === null) undetermined.push('agency')
  if (!formatKnown) undetermined.push('format')
  if (undetermined.length) report.undetermined = undetermined
  const missing: string[] = []
  const ambiguous: string[] = []

  const a20 = rangeOf(s, located, 'article20')
  if (!a20) {
    missing.push('article20')
    report.article20 = {}
  } else {
    const rows = f.article20.flatMap((b) => b.rows)
    const { values, ambiguous: amb } = readRows(
      s,
      rows.map((r) => ({ key: r.key, anchor: r.anchor, width: r.columns.length, label: r.label })),
      a20.fromChar,
      a20.toChar,
      a20.toToken,
      a20.cutOff,
    )
    for (const row of rows) {
      const cells = values.get(row.key)
      if (cells) report.article20[row.key] = Object.fromEntries(row.columns.map((c, i) => [c.key, cells[i] ?? null]))
      else {
        delete report.article20[row.key]
        missing.push(`article20.${row.key}`)
      }
    }
    ambiguous.push(...amb.map((k) => `article20.${k}`))
  }

  const relied: NonNullable<AnnualReport['relied']> = {}
  const apps = rangeOf(s, located, 'applications')
  if (!apps) {
    missing.push('applications')
    report.applications.rows = {}
  } else {
    const table = s.text.slice(apps.fromChar, apps.toChar)
    const rowsRead = applicationRowsOf(f, table)
    const {
      values,
      ambiguous: amb,
      open,
      relied: byRow,
    } = readRows(
      s,
      rowsRead.map((r) => ({ key: r.code, anchor: r.anchor, width: 7, label: r.label, blocks: r2 })),
      apps.fromChar,
      apps.toChar,
      apps.toToken,
      apps.cutOff,
      { fromToken: apps.fromToken, columns: applicantHeader },
    )
    // Rows whose digits add up more than one way: the column sums may settle them.
    const relations = columnRelations(rowsRead)
    const { settled, used, irreconcilable } = settleByColumns(values, open, relations, 7)
    for (const [code, cells] of settled) values.set(code, cells)
    const settledCodes = [...settled.keys()]
    // A row cut by its own sum alone is trusted only where a column sum can still vouch for it:
    // one used to settle the table, or one whose rows are all read (and which is then checked).
    const vouched = (code: string) =>
      relations.some(
        (r) =>
          [...r.left, ...r.right].includes(code) &&
          (used.has(r.rule) || [...r.left, ...r.right].every((c) => values.has(c))),
      )
    // A column sum that fails with rows cut by their own sums: those cuts were the only ones that add
    // up, so the source does not add up there either way; the rows are not read, and that is said.
    for (const r of relations) {
      const rowsOf = [...r.left, ...r.right]
      const suspects = rowsOf.filter((c) => byRow.includes(c))
      if (used.has(r.rule) || suspects.length === 0 || !rowsOf.every((c) => values.has(c))) continue
      if (relationHolds(r, (c, col) => values.get(c)![col] ?? 0, 7)) continue
      irreconcilable.set(r.rule, [...new Set([...(irreconcilable.get(r.rule) ?? []), ...suspects])])
      for (const code of suspects) {
        values.delete(code)
        byRow.splice(byRow.indexOf(code), 1)
        amb.push(code)
      }
    }
    let dropped = true
    while (dropped) {
      dropped = false
      for (const code of [...byRow]) {
        if (vouched(code)) continue
        values.delete(code)
        byRow.splice(byRow.indexOf(code), 1)
        amb.push(code)
        dropped = true
      }
    }
    if (byRow.length) relied.R2 = byRow
    for (const rule of used) relied[rule] = settledCodes
    if (settledCodes.length) relied.R2 = [...(relied.R2 ?? []), ...settledCodes]
    if (irreconcilable.size) report.irreconcilable = Object.fromEntries(irreconcilable)
    report.applications.rows = {}
    for (const row of rowsRead) {
      const cells = values.get(row.code)
      if (cells) report.applications.rows[row.code] = cells
      else missing.push(`applications.${row.code}`)
    }
    if (rowsRead.some((r) => r.code === 'OTHER') && format === '2021') report.notItemised = [...otherSubRows]
    ambiguous.push(...amb.filter((k) => !settled.has(k)).map((k) => `applications.${k}`))
  }

  const appeals = rangeOf(s, located, 'appeals')
  if (!appeals) {
    missing.push('appeals')
    report.appeals = {}
  } else {
    // The fifteen numbers follow the header; they are read as one row anchored on its last header word.
    const header = findLastHeader(s, appeals.fromChar, appeals.toChar)
    const span = s.tokens.slice(header ?? appeals.fromToken, appeals.toToken).filter((t) => t.t === 'value') as Extract<
      Token,
      { t: 'value' }
    >[]
    const read = span.length === 0 && header === undefined ? undefined : readRowValues(span, 15, r4)
    if (read === undefined) {
      missing.push('appeals')
      report.appeals = {}
    } else if (!('cells' in read)) {
      ambiguous.push('appeals')
      report.appeals = {}
    } else {
      appealGroups.forEach((g, i) => {
        report.appeals[g] = read.cells.slice(i * 5, i * 5 + 5)
      })
      if (read.relied) relied.R4 = [...appealGroups]
    }
  }
  if (Object.keys(relied).length) report.relied = relied

  report.sections = {
    overview: narrative(s, located, 'overview'),
    problems: narrative(s, located, 'problems'),
    other: narrative(s, located, 'other'),
  }
  report.missing = [...missing.filter((m) => !ambiguous.includes(m)), ...ambiguous]
  if (ambiguous.length) report.ambiguous = ambiguous
  return report
}

const otherSubRows = ['OTHER_NO_CORRECTION', 'OTHER_NO_FEE', 'OTHER_OTHER'] as const

/**
 * The rows of section 三 as this report prints them. Many 2021 reports keep the older layout's
 * single （六）其他处理 row: without either sub-row's words, that one row is read (as `OTHER`) and
 * stands for the three sub-rows' total.
 */
function applicationRowsOf(f: ReportFormat, table: string): ApplicationRow[] {
  if (f.id !== '2021') return [...f.applicationRows]
  const itemised = /逾期不补|不补正|收费通知|缴纳费用|未按收费/.test(table)
  if (itemised) return [...f.applicationRows]
  const single: ApplicationRow = { code: 'OTHER', label: '（六）其他处理', anchor: /其他处理/, outcome: true }
  return f.applicationRows.flatMap((r) =>
    r.code === 'OTHER_NO_CORRECTION' ? [single] : otherSubRows.includes(r.code as never) ? [] : [r],
  )
}

/** R3 and R1 as relations between the rows, for settling rows whose digits ran together. */
function columnRelations(rows: readonly ApplicationRow[]): ColumnRelation[] {
  return [
    { rule: 'R3', left: ['TOTAL'], right: rows.filter((r) => r.outcome).map((r) => r.code) },
    { rule: 'R1', left: ['NEW', 'CARRIED_IN'], right: ['TOTAL', 'CARRIED_OUT'] },
  ]
}

/** Where the appeals header ends: after the last of its column words. */
function findLastHeader(s: Stream, fromChar: number, toChar: number): number | undefined {
  const slice = s.text.slice(fromChar, toChar)
  const re = /总计|审结/g
  let last: RegExpExecArray | undefined
  for (const m of slice.matchAll(re)) last = m as RegExpExecArray
  if (!last) return undefined
  return s.owner[fromChar + last.index + last[0].length - 1]
}
