import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { normaliseText } from './normalize.ts'
import { isFurniture, splitPiece } from './tokens.ts'
import type { Token } from './tokens.ts'

// PDF text through pdf.js (stack.md: pdfjs-dist 5 legacy build, with the package's CMaps for older
// Chinese PDFs). Items are grouped into lines by their baseline and read left to right; page
// numbers and running headers fall out as furniture.

type Item = { x: number; y: number; s: string; h: number; w: number }

export async function readPdf(data: Uint8Array): Promise<Token[]> {
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
function tokenizePdfLine(line: Item[], out: Token[]): void {
  const text = normaliseText(line.map((i) => i.s).join(' '))
  if (!text.trim() || isFurniture(text)) return
  // "2024" and "年" set as two items are one word.
  const merged: Item[] = []
  for (const item of line) {
    const prev = merged.at(-1)
    if (prev && /\d$/.test(prev.s.trim()) && /^\s*[年月日号]/.test(item.s))
      merged[merged.length - 1] = { ...prev, s: prev.s.trim() + item.s.trim(), w: item.x + item.w - prev.x }
    else merged.push({ ...item })
  }
  for (const item of merged) {
    const start = out.length
    for (const piece of normaliseText(item.s).split(/\s+/).filter(Boolean)) splitPiece(piece, true, out)
    const centre = item.x + item.w / 2
    for (let k = start; k < out.length; k++) {
      const tok = out[k]!
      if (tok.t === 'value') tok.x = centre
    }
  }
  out.push({ t: 'break' })
}
