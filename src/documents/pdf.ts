import { createRequire } from 'node:module'
import path from 'node:path'

// PDF through pdfmake (pure JS) with Noto Sans SC from npm, embedded as a subset TrueType font, so
// no system font is needed and the text extracts as the same characters (stack.md §2.6, pitfall 19).
// Shared by the annual report and the letters of disclosure on request.

const require = createRequire(import.meta.url)
const fontDir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'))
const fonts = {
  NotoSansSC: {
    normal: path.join(fontDir, '400Regular', 'NotoSansSC_400Regular.ttf'),
    bold: path.join(fontDir, '700Bold', 'NotoSansSC_700Bold.ttf'),
    italics: path.join(fontDir, '400Regular', 'NotoSansSC_400Regular.ttf'),
    bolditalics: path.join(fontDir, '700Bold', 'NotoSansSC_700Bold.ttf'),
  },
}

export type Node = Record<string, unknown> | string
type PdfMake = {
  setFonts(f: unknown): void
  setUrlAccessPolicy(cb: (url: string) => boolean): void
  setLocalAccessPolicy(cb: (p: string) => boolean): void
  createPdf(doc: unknown): { getBuffer(): Promise<Buffer> }
}

let ready: PdfMake | undefined
export function pdfmake(): PdfMake {
  if (ready) return ready
  const pm = require('pdfmake') as PdfMake
  pm.setFonts(fonts)
  // No remote resources at all, and local files only from the font directory.
  pm.setUrlAccessPolicy(() => false)
  pm.setLocalAccessPolicy((p) => path.resolve(p).startsWith(fontDir))
  ready = pm
  return pm
}

export type LetterDocument = { agency: string; title: string; reference: string; paragraphs: string[]; date: string }

/**
 * A letter on one A4 page or more: the agency as the head, the title, the reference number, the text, the seal line.
 */
export async function renderLetterPdf(letter: LetterDocument): Promise<Buffer> {
  const content: Node[] = [
    { text: letter.agency, fontSize: 16, bold: true, alignment: 'center', margin: [0, 0, 0, 8] },
    { text: letter.title, fontSize: 18, bold: true, alignment: 'center', margin: [0, 0, 0, 6] },
    { text: letter.reference, fontSize: 10, alignment: 'center', margin: [0, 0, 0, 16] },
    ...letter.paragraphs.map((p, i) => ({
      text: p,
      fontSize: 12,
      lineHeight: 1.5,
      margin: [0, 0, 0, 6],
      leadingIndent: i === 0 ? 0 : 24,
    })),
    { text: letter.agency, fontSize: 12, alignment: 'right', margin: [0, 24, 0, 4] },
    { text: letter.date, fontSize: 12, alignment: 'right' },
  ]
  return pdfmake()
    .createPdf({
      content,
      defaultStyle: { font: 'NotoSansSC' },
      pageSize: 'A4',
      pageMargins: [72, 72, 72, 72],
      info: { title: letter.title },
    })
    .getBuffer()
}
