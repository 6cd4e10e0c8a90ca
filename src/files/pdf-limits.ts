import { inflateSync } from 'node:zlib'
import { AppError } from '../errors.ts'
import { defaultParseLimits } from './parse-limits.ts'
import type { ParseLimits } from './parse-limits.ts'

// Cheap checks on a PDF before pdf.js sees it (issue #14), on the bytes and in linear time, in the
// style of checkOfficeZip: the file's size, whether it is encrypted, the pages its page tree claims,
// the objects it holds (object headers, what object streams declare, what the trailer's /Size
// claims) and, in the worker, what its Flate streams expand to. Every refusal is a 422 with a Chinese
// reason naming the limit. What the bytes hide (a page count in a compressed object stream or behind
// a reference) is caught by the page limit pdf.js is read with (pdfPageCount).

const refuse = (message: string): never => {
  throw new AppError('invalid_input', message, { file: message })
}

const n = (x: number) => x.toLocaleString('en-US')
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)

export const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-'

/** The refusal for a document of more pages than the limit: said the same whether the bytes or pdf.js found it. */
export const tooManyPages = (pages: number, limit: number) =>
  `PDF 文件有 ${n(pages)} 页，超过上限 ${n(limit)} 页，拒绝处理。请拆分为较小的文件后再上传`

/** Refuses a document pdf.js reports as longer than the limit, before any of its pages is read. */
export function checkPdfPages(pages: number, limits: ParseLimits = defaultParseLimits): void {
  if (pages > limits.maxPdfPages) refuse(tooManyPages(pages, limits.maxPdfPages))
}

/** How much of each end of a file the main thread reads: its checks stay a few milliseconds. */
const windowBytes = 64 * 1024
/** Streams past this much expanded content are judged by their ratio too, as zips are. */
const ratioFloor = 8 * 1024 * 1024

/**
 * Refuses a PDF beyond the limits before it is parsed. In the main thread (`head`) only the first and
 * the last 64 KB are read (the header, and the trailer where /Encrypt and /Size stand); the worker
 * reads the `whole` file, and inflates its Flate streams (images aside: reading text never decodes
 * them) up to the uncompressed limit.
 */
export function checkPdf(bytes: Buffer, limits: ParseLimits = defaultParseLimits, scope: 'head' | 'whole' = 'whole') {
  const maxBytes = limits.maxPdfMb * 1024 * 1024
  if (bytes.length > maxBytes) refuse(`PDF 文件大小为 ${mb(bytes.length)} MB，超过上限 ${limits.maxPdfMb} MB，拒绝处理`)
  const text =
    scope === 'whole' || bytes.length <= 2 * windowBytes
      ? bytes.toString('latin1')
      : `${bytes.subarray(0, windowBytes).toString('latin1')}\n${bytes.subarray(-windowBytes).toString('latin1')}`
  // An encrypted file cannot be read, nor its content checked, without its key (even one opened
  // without a password only hides its text from the confidentiality scan behind RC4/AES).
  if (/\/Encrypt\s*(?:\d+\s+\d+\s+R\b|<<)/.test(text))
    refuse('PDF 文件已加密（设置了打开密码或权限密码），无法读取和检查其内容，拒绝处理。请另存为未加密的 PDF 后再上传')
  let pages = 0
  for (const m of text.matchAll(/\/Type\s*\/Pages(?![A-Za-z0-9])/g)) {
    const count = /\/Count\s+(\d{1,15})(?!\s+\d+\s+R)(?![\d.])/.exec(dictAround(text, m.index))
    if (count) pages = Math.max(pages, Number(count[1]))
  }
  checkPdfPages(pages, limits)
  let objects = 0
  const header = /(?<![\d.])\d{1,10}\s+\d{1,5}\s+obj(?![A-Za-z])/g
  while (header.exec(text)) objects++
  for (const m of text.matchAll(/\/Type\s*\/ObjStm(?![A-Za-z0-9])/g)) {
    const declared = /\/N\s+(\d{1,15})(?![\d.])/.exec(dictAround(text, m.index))
    if (declared) objects += Number(declared[1])
  }
  for (const m of text.matchAll(/\/Size\s+(\d{1,15})(?![\d.])(?!\s+\d+\s+R)/g))
    objects = Math.max(objects, Number(m[1]))
  if (objects > limits.maxPdfObjects)
    refuse(`PDF 文件中有 ${n(objects)} 个对象，超过上限 ${n(limits.maxPdfObjects)} 个，过于复杂，拒绝处理`)
  if (scope === 'whole') checkPdfStreams(bytes, text, limits)
}

/**
 * The dictionary `<< … >>` that is open at `end` (nested dictionaries included), read at most 4 KB
 * back and 8 KB on. Pairs are read from the right, so that ">>>>" closes two dictionaries.
 */
function dictAround(text: string, end: number): string {
  let depth = 0
  let start = -1
  for (let i = end - 1; i >= Math.max(1, end - 4096); i--) {
    const pair = text[i] === '>' && text[i - 1] === '>' ? 1 : text[i] === '<' && text[i - 1] === '<' ? -1 : 0
    if (pair === 0) continue
    i--
    if (pair > 0) depth++
    else if (depth === 0) {
      start = i
      break
    } else depth--
  }
  if (start < 0) return ''
  depth = 0
  const limit = Math.min(text.length, start + 8192)
  for (let i = start; i < limit - 1; i++) {
    const pair = text[i] === '<' && text[i + 1] === '<' ? 1 : text[i] === '>' && text[i + 1] === '>' ? -1 : 0
    if (pair === 0) continue
    i++
    depth += pair
    if (depth === 0) return text.slice(start, i + 1)
  }
  return text.slice(start, limit)
}

/** What the Flate streams pdf.js may decode expand to, in all: each inflated with the budget left as its cap. */
function checkPdfStreams(bytes: Buffer, text: string, limits: ParseLimits): void {
  const maxBytes = limits.maxUncompressedMb * 1024 * 1024
  let inflated = 0
  for (const m of text.matchAll(/>>\s*stream\r?\n/g)) {
    const dict = dictAround(text, m.index)
    if (!/\/FlateDecode(?![A-Za-z])/.test(dict) || /\/Subtype\s*\/Image(?![A-Za-z])/.test(dict)) continue
    const start = m.index + m[0].length
    const length = /\/Length\s+(\d{1,12})(?![\d.])(?!\s+\d+\s+R)/.exec(dict)
    let end = length ? start + Number(length[1]) : -1
    if (end < 0 || end > bytes.length || !/^\s*endstream/.test(text.slice(end, end + 32)))
      end = text.indexOf('endstream', start)
    if (end < 0) end = bytes.length
    try {
      inflated += inflateSync(bytes.subarray(start, end), { maxOutputLength: maxBytes - inflated + 1 }).length
    } catch (e) {
      // Past the budget; a broken or differently filtered stream is pdf.js's to report.
      if (!(e instanceof RangeError)) continue
      inflated = maxBytes + 1
    }
    if (inflated > maxBytes) refuse(`PDF 文件中的数据流解压后超过上限 ${limits.maxUncompressedMb} MB，拒绝处理`)
  }
  if (inflated > ratioFloor && inflated / bytes.length > limits.maxRatio)
    refuse(
      `PDF 文件解压后是原来的 ${Math.round(inflated / bytes.length)} 倍，超过上限 ${limits.maxRatio} 倍（可能是“压缩炸弹”），拒绝处理`,
    )
}
