import { createInflateRaw } from 'node:zlib'
import { AppError } from '../errors.ts'

// Cheap checks on a user's file before any parser sees it (issue #14), in the main thread and in
// linear time: a zip's central directory (how much it claims to expand to), the sheets' rows and
// cells and the XML's nesting counted while inflating them as a stream, and the nesting of an HTML
// page by a scan of its tags (no DOM). The parse itself then runs in a worker with a memory and a
// time limit (parse-worker.ts). PDFs are measured by pdf-limits.ts. Every refusal is a 422 with a
// Chinese reason naming the limit.

export type ParseLimits = Readonly<{
  /** Wall-clock seconds a parse may run before its worker is stopped. */
  timeoutSeconds: number
  /** The worker's heap (V8 old generation), in MB. */
  memoryMb: number
  /** What the entries of a zip (DOCX, XLSX) may expand to in all, in MB. */
  maxUncompressedMb: number
  /** Expanded size over the file's size, for files that expand to more than a few MB. */
  maxRatio: number
  /** Entries in a zip. */
  maxEntries: number
  /** Rows of all sheets of a workbook. */
  maxRows: number
  /** Cells of all sheets of a workbook (as the sheets claim them and as they hold them). */
  maxCells: number
  /** Elements open inside one another, in an HTML page or an Office XML part. */
  maxDepth: number
  /** A PDF's size, in MB. */
  maxPdfMb: number
  /** Pages of a PDF, as its page tree claims them (pdf-limits.ts). */
  maxPdfPages: number
  /** Objects of a PDF: those it holds, those its object streams declare, those its trailer claims. */
  maxPdfObjects: number
}>

export const defaultParseLimits: ParseLimits = Object.freeze({
  timeoutSeconds: 30,
  memoryMb: 512,
  maxUncompressedMb: 100,
  maxRatio: 100,
  maxEntries: 5000,
  maxRows: 200_000,
  maxCells: 1_000_000,
  maxDepth: 200,
  maxPdfMb: 50,
  maxPdfPages: 2000,
  maxPdfObjects: 200_000,
})

/** A zip's ratio is only judged past this much expanded content: a small file may compress very well. */
const ratioFloor = 8 * 1024 * 1024

const refuse = (message: string): never => {
  throw new AppError('invalid_input', message, { file: message })
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)

type Entry = { name: string; method: number; compressed: number; size: number; offset: number }

/** The entries a zip's central directory lists, without inflating anything. */
export function zipEntries(bytes: Buffer, limits: ParseLimits = defaultParseLimits): Entry[] {
  const broken = '文件已损坏或不是有效的 DOCX/XLSX（ZIP）文件'
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--)
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  if (eocd < 0) return refuse(broken)
  const count = bytes.readUInt16LE(eocd + 10)
  let at = bytes.readUInt32LE(eocd + 16)
  if (count === 0xffff || at === 0xffffffff) return refuse('不支持 ZIP64 格式的 DOCX/XLSX 文件：文件过大')
  if (count > limits.maxEntries) return refuse(`压缩包内有 ${count} 个文件，超过上限 ${limits.maxEntries} 个，拒绝处理`)
  const entries: Entry[] = []
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) return refuse(broken)
    const nameLength = bytes.readUInt16LE(at + 28)
    const entry = {
      name: bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      method: bytes.readUInt16LE(at + 10),
      compressed: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      offset: bytes.readUInt32LE(at + 42),
    }
    if (entry.size === 0xffffffff || entry.compressed === 0xffffffff)
      return refuse('不支持 ZIP64 格式的 DOCX/XLSX 文件：文件过大')
    entries.push(entry)
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32)
  }
  const total = entries.reduce((s, e) => s + e.size, 0)
  const maxBytes = limits.maxUncompressedMb * 1024 * 1024
  if (total > maxBytes) refuse(`文件解压后共 ${mb(total)} MB，超过上限 ${limits.maxUncompressedMb} MB，拒绝处理`)
  if (total > ratioFloor && total / bytes.length > limits.maxRatio)
    refuse(
      `文件解压后是原来的 ${Math.round(total / bytes.length)} 倍，超过上限 ${limits.maxRatio} 倍（可能是“压缩炸弹”），拒绝处理`,
    )
  return entries
}

/** The entry's bytes as they inflate, chunk by chunk; stops (resolves) when `onChunk` answers false. */
function inflateEntry(bytes: Buffer, entry: Entry, onChunk: (chunk: Buffer) => boolean): Promise<void> {
  const local = entry.offset
  if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50)
    return Promise.reject(new AppError('invalid_input', '文件已损坏或不是有效的 DOCX/XLSX（ZIP）文件'))
  const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28)
  const data = bytes.subarray(start, start + entry.compressed)
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += 64 * 1024) if (!onChunk(data.subarray(i, i + 64 * 1024))) break
    return Promise.resolve()
  }
  if (entry.method !== 8) return Promise.resolve() // not ours to judge: the parser refuses it
  return new Promise((resolve) => {
    const stream = createInflateRaw()
    let done = false
    const finish = () => {
      if (done) return
      done = true
      stream.destroy()
      resolve()
    }
    stream.on('data', (chunk: Buffer) => {
      if (!done && !onChunk(chunk)) finish()
    })
    // A broken stream is the parser's to report, with the message it has for broken files.
    stream.on('error', finish)
    stream.on('end', finish)
    stream.end(data)
  })
}

/**
 * Elements open inside one another, counted as the text streams by, in linear time. In HTML, void
 * elements and those whose end tag may be left out (p, li, td …, which a parser closes by itself)
 * do not count; script and style hold text, not tags.
 */
export class DepthMeter {
  private rest = ''
  private readonly stack: string[] = []
  private readonly open = new Map<string, number>()
  private rawUntil: RegExp | null = null

  constructor(
    private readonly html: boolean,
    private readonly limit: number,
  ) {}

  /** False once the nesting is past the limit. */
  feed(chunk: string): boolean {
    const s = this.rest + chunk
    this.rest = ''
    // One native scan for tags; `[^<>]*` keeps a run of "<" without ">" linear.
    const tags = /<!--|<(\/?)([A-Za-z][^\s/<>]*)[^<>]*>/g
    let done = 0
    for (;;) {
      if (this.rawUntil) {
        this.rawUntil.lastIndex = done
        const end = this.rawUntil.exec(s)
        if (!end) {
          this.rest = s.slice(Math.max(done, s.length - 16))
          return true
        }
        tags.lastIndex = end.index
        this.rawUntil = null
      }
      const m = tags.exec(s)
      if (!m) break
      done = tags.lastIndex
      if (m[0] === '<!--') {
        const end = s.indexOf('-->', done)
        if (end < 0) {
          this.rest = s.slice(m.index)
          return true
        }
        done = tags.lastIndex = end + 3
        continue
      }
      const name = this.html ? m[2]!.toLowerCase() : m[2]!
      if (m[1]) {
        if (!this.open.get(name)) continue
        for (;;) {
          const top = this.stack.pop()!
          this.open.set(top, this.open.get(top)! - 1)
          if (top === name) break
        }
        continue
      }
      if (this.html) {
        if (rawText.has(name)) {
          this.rawUntil = new RegExp(`</${name}`, 'gi')
          continue
        }
        if (notCounted.has(name)) continue
      } else if (m[0].endsWith('/>')) continue
      this.stack.push(name)
      this.open.set(name, (this.open.get(name) ?? 0) + 1)
      if (this.stack.length > this.limit) return false
    }
    // A tag cut at the end of this chunk is read with the next.
    const lt = s.lastIndexOf('<')
    if (lt >= done && s.indexOf('>', lt) < 0 && s.length - lt < 64 * 1024) this.rest = s.slice(lt)
    return true
  }
}

const rawText = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript', 'iframe', 'noembed', 'noframes'])
const notCounted = new Set(
  [
    'area base br col embed hr img input link meta param source track wbr keygen',
    'p li dt dd tr td th thead tbody tfoot colgroup caption option optgroup rb rt rtc rp',
  ]
    .join(' ')
    .split(' '),
)

const tooDeep = (limit: number) => `文件中的标签嵌套超过 ${limit} 层（上限），过于复杂，拒绝处理`

/** Refuses an HTML page nested deeper than the limit (a linear scan of its tags, no DOM). */
export function checkHtmlDepth(html: string, maxDepth: number): void {
  if (!new DepthMeter(true, maxDepth).feed(html)) refuse(tooDeep(maxDepth))
}

/** How much of a file the main thread reads before handing it to a worker: its checks stay a few milliseconds. */
const headBytes = 64 * 1024

/** checkHtmlDepth on the page's first 64 KB, in the main thread; the worker checks the whole page. */
export function checkHtmlHead(bytes: Buffer, maxDepth: number): void {
  // Tag names are ASCII in UTF-8 and GB18030 alike: latin1 reads them without decoding the text.
  checkHtmlDepth(bytes.subarray(0, headBytes).toString('latin1'), maxDepth)
}

/**
 * An Office XML part as it inflates, byte by byte with no allocation per tag (a sheet of 10 million
 * cells must not leave 10 million objects to collect): nesting depth, and the <row> and <c> elements.
 */
export class XmlMeter {
  depth = 0
  maxDepth = 0
  rows = 0
  cells = 0
  private carry: Buffer | undefined
  private skipUntil: Buffer | undefined

  feed(chunk: Buffer): void {
    const b = this.carry ? Buffer.concat([this.carry, chunk]) : chunk
    this.carry = undefined
    let i = 0
    for (;;) {
      if (this.skipUntil) {
        const end = b.indexOf(this.skipUntil, i)
        if (end < 0) {
          this.carry = b.subarray(Math.max(i, b.length - this.skipUntil.length))
          return
        }
        i = end + this.skipUntil.length
        this.skipUntil = undefined
      }
      const lt = b.indexOf(0x3c, i)
      if (lt < 0) return
      if (b.length - lt < 9) {
        this.carry = b.subarray(lt)
        return
      }
      const next = b[lt + 1]
      if (next === 0x21 && b[lt + 2] === 0x2d && b[lt + 3] === 0x2d) {
        this.skipUntil = commentEnd
        i = lt + 4
        continue
      }
      if (next === 0x21 && b[lt + 2] === 0x5b) {
        this.skipUntil = cdataEnd
        i = lt + 3
        continue
      }
      const gt = b.indexOf(0x3e, lt)
      if (gt < 0) {
        // A tag cut at the chunk's end is read with the next; one longer than 64 KB is the parser's to refuse.
        if (b.length - lt < 64 * 1024) this.carry = b.subarray(lt)
        return
      }
      i = gt + 1
      if (next === 0x3f || next === 0x21) continue
      if (next === 0x2f) {
        this.depth--
        continue
      }
      if (next === 0x63 && delimiter(b[lt + 2]!)) this.cells++
      else if (next === 0x72 && b[lt + 2] === 0x6f && b[lt + 3] === 0x77 && delimiter(b[lt + 4]!)) this.rows++
      if (b[gt - 1] === 0x2f) continue
      this.depth++
      if (this.depth > this.maxDepth) this.maxDepth = this.depth
    }
  }
}

const commentEnd = Buffer.from('-->')
const cdataEnd = Buffer.from(']]>')
/** Space, tab, line break, ">" or "/": what ends a tag's name. */
const delimiter = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3e || c === 0x2f

/**
 * Refuses a DOCX or XLSX beyond the limits before it is parsed: what its directory claims, then its
 * XML parts as they inflate (so that a directory that lies is caught too): expanded size, nesting,
 * and for a workbook the rows and cells its sheets claim (<dimension>) and hold. In the main thread
 * (`head`) only the first 64 KB of each part is inflated, so that the check stays a few milliseconds
 * whatever the file; the worker checks the `whole` file before its parser sees it.
 */
export async function checkOfficeZip(
  bytes: Buffer,
  limits: ParseLimits = defaultParseLimits,
  scope: 'head' | 'whole' = 'whole',
): Promise<void> {
  const entries = zipEntries(bytes, limits)
  const maxBytes = limits.maxUncompressedMb * 1024 * 1024
  let inflated = 0
  let rows = 0
  let cells = 0
  let problem: string | undefined
  for (const entry of entries.filter((e) => /\.(?:xml|rels)$/i.test(e.name))) {
    const sheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(entry.name)
    const meter = new XmlMeter()
    let head = sheet ? '' : undefined
    let read = 0
    await inflateEntry(bytes, entry, (chunk) => {
      if (scope === 'head' && read >= headBytes) return false
      read += chunk.length
      inflated += chunk.length
      if (inflated > maxBytes) {
        problem = `文件解压后超过上限 ${limits.maxUncompressedMb} MB，拒绝处理`
        return false
      }
      meter.feed(chunk)
      if (meter.maxDepth > limits.maxDepth) {
        problem = tooDeep(limits.maxDepth)
        return false
      }
      if (!sheet) return true
      if (head !== undefined) {
        head += chunk.toString('latin1')
        const claimed = claimedCells(head)
        if (claimed !== undefined || head.length > 64 * 1024 || /<sheetData\b/.test(head)) {
          head = undefined
          if (claimed && (claimed.rows > limits.maxRows || claimed.cells > limits.maxCells)) {
            problem = tooManyCells(limits, claimed.rows, claimed.cells)
            return false
          }
        }
      }
      if (rows + meter.rows > limits.maxRows || cells + meter.cells > limits.maxCells) {
        problem = tooManyCells(limits, rows + meter.rows, cells + meter.cells)
        return false
      }
      return true
    })
    if (problem) refuse(problem)
    rows += meter.rows
    cells += meter.cells
  }
}

const tooManyCells = (limits: ParseLimits, rows: number, cells: number) =>
  rows > limits.maxRows
    ? `工作表的行数超过上限 ${limits.maxRows.toLocaleString('en-US')} 行（文件中至少有 ${rows.toLocaleString('en-US')} 行），拒绝处理。请删去空白行和无关的工作表后再上传`
    : `工作表的单元格数超过上限 ${limits.maxCells.toLocaleString('en-US')} 个（文件中至少有 ${cells.toLocaleString('en-US')} 个），拒绝处理。请删去空白行和无关的工作表后再上传`

/** The rows and cells a sheet's <dimension ref="A1:Z500"> claims. */
function claimedCells(head: string): { rows: number; cells: number } | undefined {
  const m = /<dimension\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/.exec(head)
  if (!m) return undefined
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0)
  const rows = Math.abs(Number(m[4] ?? m[2]) - Number(m[2])) + 1
  const cols = Math.abs(col(m[3] ?? m[1]!) - col(m[1]!)) + 1
  return { rows, cells: rows * cols }
}
