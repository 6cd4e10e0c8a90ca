import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { tokenizeLine } from './tokens.ts'
import type { Token } from './tokens.ts'

// PDF text through pdf.js (stack.md: pdfjs-dist 5 legacy build, with the package's CMaps for older
// Chinese PDFs). Items are grouped into lines by their baseline and read left to right; page
// numbers and running headers fall out as furniture.

type Item = { x: number; y: number; s: string; h: number }

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
        items.push({ x: it.transform[4] as number, y: it.transform[5] as number, s: it.str, h: Math.abs(it.transform[3] as number) || 10 })
      }
      for (const line of groupLines(items)) tokenizeLine(line.map((i) => i.s).join(' '), out)
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
