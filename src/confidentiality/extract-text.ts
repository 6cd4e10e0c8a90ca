import type JSZip from 'jszip'
import { cheerio } from '../files/cheerio.ts'
import { AppError } from '../errors.ts'
import { checkHtmlDepth, checkHtmlHead, checkOfficeZip, defaultParseLimits } from '../files/parse-limits.ts'
import type { ParseLimits } from '../files/parse-limits.ts'
import { inWorker } from '../files/parse-worker.ts'
import { checkPdf, checkPdfPages, isPdf } from '../files/pdf-limits.ts'

// The text a scan must see in an attachment: every part a reader could reveal, hidden or not —
// DOCX headers, footers, comments and notes; XLSX hidden sheets, rows, columns and cells; the PDF
// text layer. Zip containers are measured before they are opened (FILE-02).

const maxUncompressed = 200 * 1024 * 1024
const maxEntries = 5000

export class UnscannableFile extends Error {
  override name = 'UnscannableFile'
}

async function openZip(bytes: Buffer): Promise<JSZip> {
  const zip = await (await import('jszip')).default.loadAsync(bytes)
  const entries = Object.values(zip.files)
  if (entries.length > maxEntries) throw new UnscannableFile('压缩包内文件过多，拒绝处理')
  const total = entries.reduce(
    (n, e) => n + ((e as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0),
    0,
  )
  if (total > maxUncompressed) throw new UnscannableFile('解压后体积过大，拒绝处理')
  return zip
}

export async function docxText(bytes: Buffer): Promise<string> {
  const zip = await openZip(bytes)
  const parts = Object.keys(zip.files)
    .filter((n) => /^word\/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$/.test(n))
    .sort()
  const texts: string[] = []
  for (const name of parts) {
    const xml = await zip.file(name)!.async('string')
    texts.push(
      xml
        .replace(/<\/w:p>/g, '\n')
        .replace(/<w:tab\/>/g, '\t')
        .replace(/<[^>]+>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    )
  }
  return texts.join('\n')
}

export async function xlsxText(bytes: Buffer): Promise<string> {
  await openZip(bytes)
  const ExcelJS = (await import('exceljs')).default
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const lines: string[] = []
  // Every sheet, visible or not; every row and column, hidden or not.
  wb.eachSheet((ws) => {
    lines.push(ws.name)
    ws.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = []
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value
        cells.push(
          v && typeof v === 'object' && 'richText' in v
            ? v.richText.map((t) => t.text).join('')
            : v && typeof v === 'object' && 'result' in v
              ? String(v.result)
              : String(v ?? ''),
        )
        if (cell.note) cells.push(typeof cell.note === 'string' ? cell.note : JSON.stringify(cell.note))
      })
      lines.push(cells.join('\t'))
    })
  })
  return lines.join('\n')
}

export async function pdfText(bytes: Buffer, limits: ParseLimits = defaultParseLimits): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise
  const pages: string[] = []
  try {
    // Refused rather than read in part: a scan that stopped at a page limit would pass what follows.
    checkPdfPages(doc.numPages, limits)
    for (let p = 1; p <= doc.numPages; p++) {
      const content = await (await doc.getPage(p)).getTextContent()
      pages.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''))
    }
  } finally {
    await doc.destroy()
  }
  return pages.join('\n')
}

/** All text of an HTML body, including what styles hide: hidden text is published text too. */
export function htmlText(html: string): string {
  const $ = cheerio.load(html)
  $('script, style').remove()
  $('br, p, div, li, tr, h1, h2, h3, h4, h5, h6').after('\n')
  return $.root().text()
}

/**
 * The text of an attachment, for the scan: measured first in this thread, then read in a worker with
 * a memory and a time limit (issue #14). A file past a limit is unscannable, with the limit's reason.
 */
export async function attachmentText(
  bytes: Buffer,
  fileName: string,
  limits: ParseLimits = defaultParseLimits,
): Promise<string> {
  try {
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) await checkOfficeZip(bytes, limits, 'head')
    else if (/\.html?$/i.test(fileName)) checkHtmlHead(bytes, limits.maxDepth)
    else if (isPdf(bytes)) checkPdf(bytes, limits, 'head')
    return await inWorker<string>('attachmentText', { bytes, fileName }, limits)
  } catch (e) {
    if (e instanceof AppError || (e instanceof Error && e.name === 'UnscannableFile'))
      throw new UnscannableFile(e.message)
    throw e
  }
}

/** What attachmentText runs in its worker (files/parse-tasks.ts): the whole file checked, then read. */
export async function readAttachment(
  bytes: Buffer,
  fileName: string,
  limits: ParseLimits = defaultParseLimits,
): Promise<string> {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) await checkOfficeZip(bytes, limits, 'whole')
  else if (/\.html?$/i.test(fileName)) checkHtmlDepth(bytes.toString('utf8'), limits.maxDepth)
  if (isPdf(bytes)) {
    checkPdf(bytes, limits, 'whole')
    return pdfText(bytes, limits)
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return /\.xlsx$/i.test(fileName) ? xlsxText(bytes) : docxText(bytes)
  if (/\.html?$/i.test(fileName)) return htmlText(bytes.toString('utf8'))
  if (/\.(txt|csv|json)$/i.test(fileName)) return bytes.toString('utf8')
  throw new UnscannableFile(`无法检查此类文件的内容：${fileName}`)
}
