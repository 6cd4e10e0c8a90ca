import type { CheerioAPI } from 'cheerio'
import { cheerio } from '../../files/cheerio.ts'
import type { AnyNode } from 'domhandler'
import { tokenizeCell, tokenizeLine } from './tokens.ts'
import type { Token } from './tokens.ts'

// HTML (and DOCX through mammoth): tables are read cell by cell, so a blank cell is a blank; text
// outside tables line by line. Scripts, styles and navigation are page furniture.

const blockTags = new Set([
  'p',
  'div',
  'br',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'section',
  'article',
  'tr',
  'title',
  'header',
  'footer',
  'blockquote',
  'pre',
])

export function readHtml(html: string): Token[] {
  const $ = cheerio.load(html)
  $('script, style, noscript, nav, iframe, svg, form, button, select, input, textarea').remove()
  const out: Token[] = []
  let line = ''
  const flush = () => {
    if (line.trim()) tokenizeLine(line, out)
    line = ''
  }
  const walk = (node: AnyNode) => {
    if (node.type === 'text') {
      line += (node as unknown as { data: string }).data.replace(/\s+/g, ' ')
      return
    }
    if (node.type !== 'tag') return
    const el = node as unknown as { name: string; children: AnyNode[] }
    if (el.name === 'table') {
      flush()
      readTable($, node, out)
      return
    }
    if (el.name === 'br' || blockTags.has(el.name)) flush()
    for (const child of el.children) walk(child)
    if (blockTags.has(el.name)) flush()
  }
  const body = $('body').get(0) ?? $.root().get(0)
  if (body) for (const child of (body as unknown as { children: AnyNode[] }).children) walk(child)
  flush()
  return out
}

/** One token run per row, cells in order; nested tables are read in place. */
function readTable($: CheerioAPI, table: AnyNode, out: Token[]): void {
  $(table)
    .find('tr')
    .each((_, tr) => {
      if ($(tr).closest('table').get(0) !== table) return
      $(tr)
        .children('td, th')
        .each((__, cell) => {
          // Cell text keeps its line breaks as spaces: a label broken inside its cell is one label.
          const text = $(cell).find('br').replaceWith(' ').end().text()
          tokenizeCell(text, out)
        })
      out.push({ t: 'break' })
    })
}
