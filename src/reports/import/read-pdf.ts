import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { defaultParseLimits } from '../../files/parse-limits.ts'
import type { ParseLimits } from '../../files/parse-limits.ts'
import { checkPdfPages } from '../../files/pdf-limits.ts'
import { normaliseText } from './normalize.ts'
import { isFurniture, splitPiece } from './tokens.ts'
import type { Token } from './tokens.ts'

// PDF text through pdf.js (stack.md: pdfjs-dist 5 legacy build, with the package's CMaps for older
// Chinese PDFs). Items are grouped into lines by their baseline and read left to right; page
// numbers and running headers fall out as furniture.

export type Item = { x: number; y: number; s: string; h: number; w: number }

export async function readPdf(data: Uint8Array, limits: ParseLimits = defaultParseLimits): Promise<Token[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))
  const doc = await pdfjs.getDocument({
    data,
    cMapUrl: `${pathToFileURL(path.join(root, 'cmaps')).href}/`,
    cMapPacked: true,
    standardFontDataUrl: `${pathToFileURL(path.join(root, 'standard_fonts')).href}/`,
    useSystemFonts: false,
    verbosity: 0,
  }).promise
  const out: Token[] = []
  try {
    // Past the page limit nothing is read: a report cut short would import as a wrong one.
    checkPdfPages(doc.numPages, limits)
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p)
      const content = await page.getTextContent()
      const items: Item[] = []
      for (const it of content.items) {
        if (!('str' in it) || !it.str.trim()) continue
        items.push({
          x: it.transform[4] as number,
          y: it.transform[5] as number,
          s: it.str,
          h: Math.abs(it.transform[3] as number) || 10,
          w: it.width,
        })
      }
      for (const line of groupLines(items)) tokenizePdfLine(line, out)
      page.cleanup()
    }
  } finally {
    await doc.destroy()
  }
  return out
}

/** Items whose baselines lie within a third of the text height form one line, top to bottom. */
function groupLines(items: Item[]): Item[][] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x)
  const lines: Item[][] = []
  for (const item of sorted) {
    const line = lines.at(-1)
    if (line && Math.abs(line[0]!.y - item.y) <= Math.max(2, item.h / 3)) line.push(item)
    else lines.push([item])
  }
  return lines.map((l) => l.sort((a, b) => a.x - b.x))
}

/**
 * One line, item by item, so that each value keeps the horizontal centre of where it was printed:
 * a row with a blank cell can then be placed column by column (parse-report.ts).
 */
export function tokenizePdfLine(line: Item[], out: Token[]): void {
  const text = normaliseText(line.map((i) => i.s).join(' '))
  if (!text.trim() || isFurniture(text)) return
  // Pieces set edge to edge are one word: WPS and Word often emit each digit of "2024" or each
  // character as its own item, and set "2024 年" with a space that belongs to no cell.
  const merged: Item[] = []
  for (const item of line) {
    const prev = merged.at(-1)
    const gap = prev ? item.x - (prev.x + prev.w) : Infinity
    const touching = prev && gap < Math.max(1, Math.min(prev.h, item.h) * 0.2)
    const dateWord = prev && /\d$/.test(prev.s.trim()) && /^\s*[年月日号]/.test(item.s) && gap < prev.h * 1.5
    if (prev && (touching || dateWord))
      merged[merged.length - 1] = { ...prev, s: prev.s.trimEnd() + item.s.trimStart(), w: item.x + item.w - prev.x }
    else merged.push({ ...item })
  }
  for (const item of merged) {
    const start = out.length
    // "2024 年" and "12 月 31 日": a number before a date word is words, space or not.
    const words = normaliseText(item.s).replace(/(\d)\s+(?=[年月日号])/g, '$1')
    for (const piece of words.split(/\s+/).filter(Boolean)) splitPiece(piece, true, out)
    const centre = item.x + item.w / 2
    // An item that is one number alone was set as one cell: it is never cut or joined.
    const alone = out.length - start === 1
    for (let k = start; k < out.length; k++) {
      const tok = out[k]!
      if (tok.t === 'text') tok.left = item.x
      if (tok.t !== 'value') continue
      tok.x = centre
      tok.left = item.x
      if (alone) tok.cell = true
    }
  }
  out.push({ t: 'break' })
}
