import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseReport } from './parse-report.ts'
import { readHtml } from './read-html.ts'
import { readPdf } from './read-pdf.ts'
import { tokenizeText } from './tokens.ts'
import type { Token } from './tokens.ts'
import type { AnnualReport } from '../report.ts'
import { annualReportSchema } from '../report.ts'

export type SourceKind = 'text' | 'html' | 'docx' | 'pdf' | 'xlsx' | 'json'

/** What the bytes are, by their own signature first and the file name second. */
export function sourceKindOf(bytes: Buffer, name: string): SourceKind {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf'
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return /\.xlsx$/i.test(name) ? 'xlsx' : 'docx'
  const head = bytes.subarray(0, 2048).toString('utf8').trimStart().toLowerCase()
  if (head.startsWith('{')) return 'json'
  if (
    /\.html?$/i.test(name) ||
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    /<table[\s>]/.test(head)
  )
    return 'html'
  return 'text'
}

export class UnreadableSource extends Error {}

export async function tokensOf(bytes: Buffer, kind: SourceKind): Promise<Token[]> {
  switch (kind) {
    case 'pdf':
      return readPdf(new Uint8Array(bytes))
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

/** Reads one published report (any supported kind) into the interchange JSON. */
export async function importReport(bytes: Buffer, name: string): Promise<AnnualReport> {
  const kind = sourceKindOf(bytes, name)
  if (kind === 'json') {
    const parsed = annualReportSchema.safeParse(JSON.parse(bytes.toString('utf8')))
    if (!parsed.success) throw new UnreadableSource(`不是有效的年报 JSON：${parsed.error.issues[0]?.message ?? ''}`)
    return parsed.data as AnnualReport
  }
  let tokens: Token[]
  try {
    tokens = await tokensOf(bytes, kind)
  } catch (e) {
    throw new UnreadableSource(`无法读取文件内容（${kind}）：${e instanceof Error ? e.message : String(e)}`)
  }
  if (!tokens.some((t) => t.t === 'text')) throw new UnreadableSource('文件中没有可读的文字（可能是扫描图片）')
  return parseReport(tokens)
}

export async function importReportFile(file: string): Promise<AnnualReport> {
  return importReport(await readFile(file), path.basename(file))
}
