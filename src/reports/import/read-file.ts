import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { checkHtmlDepth, checkHtmlHead, checkOfficeZip, defaultParseLimits } from '../../files/parse-limits.ts'
import type { ParseLimits } from '../../files/parse-limits.ts'
import { inWorker } from '../../files/parse-worker.ts'
import { checkPdf } from '../../files/pdf-limits.ts'
import { parseReport, severalReports } from './parse-report.ts'
import { readHtml } from './read-html.ts'
import { readPdf } from './read-pdf.ts'
import { tokenizeText } from './tokens.ts'
import type { Token } from './tokens.ts'
import type { AnnualReport } from '../report.ts'
import { annualReportSchema } from '../report.ts'
import { AppError } from '../../errors.ts'

export type SourceKind = 'text' | 'html' | 'docx' | 'pdf' | 'xlsx' | 'json'

export class UnreadableSource extends Error {}

/** Formats the importer cannot read, by extension: what they are, in the words of the people who send them. */
const legacyFormats: Record<string, string> = {
  doc: 'Word 97-2003 文档（.doc）',
  xls: 'Excel 97-2003 工作簿（.xls）',
  et: 'WPS 表格文件（.et）',
  wps: 'WPS 文字文件（.wps）',
  ppt: 'PowerPoint 97-2003 演示文稿（.ppt）',
  dps: 'WPS 演示文件（.dps）',
  ofd: 'OFD 版式文件（.ofd）',
  rtf: 'RTF 文档（.rtf）',
  jpg: '图片（.jpg）',
  jpeg: '图片（.jpeg）',
  png: '图片（.png）',
  gif: '图片（.gif）',
  tif: '图片（.tif）',
  tiff: '图片（.tiff）',
  bmp: '图片（.bmp）',
}
/** Extensions a folder is searched for: what can be read, and what is refused with a reason rather than skipped. */
export const reportFileExtensions =
  /\.(txt|html?|docx|pdf|xlsx|json|doc|xls|et|wps|ppt|dps|ofd|rtf|jpe?g|png|gif|tiff?|bmp)$/i

const saveAs = (what: string) =>
  /^图片/.test(what)
    ? `${what}中的文字无法读取：请提供带文字的 PDF、DOCX 或网页文本`
    : `这是${what}，本系统不能直接读取：请用 WPS 或 Office 打开后另存为 DOCX、XLSX 或 PDF，再导入`

/** Files this importer refuses, by signature and name: legacy Office/WPS binaries, OFD, images, other binaries. */
function refuseUnsupported(bytes: Buffer, name: string): void {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? ''
  const ole = bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
  if (ole)
    throw new UnreadableSource(saveAs(legacyFormats[ext] ?? '旧版 Office/WPS 二进制文件（.doc、.xls、.et、.wps）'))
  const signature = bytes.subarray(0, 5).toString('latin1')
  const known = signature === '%PDF-' || (bytes[0] === 0x50 && bytes[1] === 0x4b)
  if (!known && legacyFormats[ext] && !/^(?:html?)$/.test(ext)) {
    const head = bytes.subarray(0, 2048).toString('utf8').trimStart().toLowerCase()
    // Many sites serve an HTML table under an .xls or .doc name: that is read as the page it is.
    if (!(head.startsWith('<') && /<(?:html|table)[\s>]/.test(head)))
      throw new UnreadableSource(saveAs(legacyFormats[ext]))
  }
  if (!known && bytes.subarray(0, 4096).includes(0))
    throw new UnreadableSource(
      '这不是文本、网页、DOCX、XLSX 或 PDF 文件，无法读取：请另存为 DOCX、XLSX 或 PDF 后再导入',
    )
}

/** What the bytes are, by their own signature first and the file name second. */
export function sourceKindOf(bytes: Buffer, name: string): SourceKind {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf'
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return /\.xlsx$/i.test(name) ? 'xlsx' : 'docx'
  const head = bytes.subarray(0, 2048).toString('utf8').trimStart().toLowerCase()
  if (head.startsWith('{')) return 'json'
  if (
    /\.(?:html?|xls|doc)$/i.test(name) ||
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    /<table[\s>]/.test(head)
  )
    return 'html'
  return 'text'
}

export async function tokensOf(
  bytes: Buffer,
  kind: SourceKind,
  limits: ParseLimits = defaultParseLimits,
): Promise<Token[]> {
  switch (kind) {
    case 'pdf':
      return readPdf(new Uint8Array(bytes), limits)
    case 'docx': {
      const mammoth = (await import('mammoth')).default
      const { value } = await mammoth.convertToHtml({ buffer: bytes })
      return readHtml(value)
    }
    case 'xlsx': {
      const { readXlsx } = await import('./read-xlsx.ts')
      return readXlsx(bytes)
    }
    case 'html':
      return readHtml(decode(bytes))
    default:
      return tokenizeText(decode(bytes))
  }
}

/** Text files from government sites come in UTF-8 or GB18030. */
function decode(bytes: Buffer): string {
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  if (!utf8.includes('\ufffd')) return utf8
  try {
    return new TextDecoder('gb18030').decode(bytes)
  } catch {
    return utf8
  }
}

/**
 * Reads one published report (any supported kind) into the interchange JSON: measured first in this
 * thread (a zip's expanded size, cells and nesting; a page's nesting), then read in a worker with a
 * memory and a time limit (issue #14), so that no file stops the server from answering.
 */
export async function importReport(
  bytes: Buffer,
  name: string,
  limits: ParseLimits = defaultParseLimits,
): Promise<AnnualReport> {
  refuseUnsupported(bytes, name)
  const kind = sourceKindOf(bytes, name)
  if (kind === 'docx' || kind === 'xlsx') await checkOfficeZip(bytes, limits, 'head')
  if (kind === 'html') checkHtmlHead(bytes, limits.maxDepth)
  if (kind === 'pdf') checkPdf(bytes, limits, 'head')
  try {
    return await inWorker<AnnualReport>('reportFile', { bytes, name }, limits)
  } catch (e) {
    // A limit's refusal and the reader's own reasons (UnreadableSource in the worker) are said as they are.
    throw new UnreadableSource(e instanceof Error ? e.message : String(e))
  }
}

/** What importReport runs in its worker (files/parse-tasks.ts): the whole file checked, then read. */
export async function readReport(
  bytes: Buffer,
  name: string,
  limits: ParseLimits = defaultParseLimits,
): Promise<AnnualReport> {
  refuseUnsupported(bytes, name)
  const kind = sourceKindOf(bytes, name)
  if (kind === 'json') {
    const parsed = annualReportSchema.safeParse(JSON.parse(bytes.toString('utf8')))
    if (!parsed.success) {
      const at = parsed.error.issues[0]?.path.join('.') || '（顶层）'
      throw new UnreadableSource(`不是年报交换格式（gongkai.annual-report/1）的 JSON：${at} 处不符合格式`)
    }
    return parsed.data as AnnualReport
  }
  if (kind === 'docx' || kind === 'xlsx') await checkOfficeZip(bytes, limits, 'whole')
  if (kind === 'html') checkHtmlDepth(decode(bytes), limits.maxDepth)
  if (kind === 'pdf') checkPdf(bytes, limits, 'whole')
  let tokens: Token[]
  try {
    tokens = await tokensOf(bytes, kind, limits)
  } catch (e) {
    if (e instanceof AppError) throw e // a limit's refusal, said as it is
    throw new UnreadableSource(`无法读取文件内容（${kind}）：${e instanceof Error ? e.message : String(e)}`)
  }
  if (!tokens.some((t) => t.t === 'text')) throw new UnreadableSource('文件中没有可读的文字（可能是扫描图片）')
  const several = severalReports(tokens)
  if (several) throw new UnreadableSource(several)
  const report = parseReport(tokens)
  if (
    report.missing.includes('article20') &&
    report.missing.includes('applications') &&
    report.missing.includes('appeals')
  )
    throw new UnreadableSource('文件中没有找到年度报告的表格（第二、三、四部分）：这似乎不是政府信息公开工作年度报告')
  return report
}

export async function importReportFile(file: string, limits?: ParseLimits): Promise<AnnualReport> {
  return importReport(await readFile(file), path.basename(file), limits)
}
