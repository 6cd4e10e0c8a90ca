import { createHash } from 'node:crypto'
import { cheerio } from '../files/cheerio.ts'
import type { AnyNode, Element } from 'domhandler'
import { htmlText } from '../confidentiality/extract-text.ts'
import { AppError } from '../errors.ts'
import { DepthMeter } from '../files/parse-limits.ts'

// Item bodies are rich text, sanitised by an allow-list (OUT-01): paragraphs, emphasis, lists,
// headings, tables and links to http(s) or this site. Everything else is dropped: scripts, styles
// and frames with their content, other tags unwrapped to their text, every attribute but a few.
// Plain text (no tags) becomes escaped paragraphs. Bodies are stored sanitised and sanitised again
// when shown.

const allowed = new Set([
  'p',
  'br',
  'strong',
  'b',
  'em',
  'i',
  'u',
  'ul',
  'ol',
  'li',
  'h2',
  'h3',
  'h4',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'a',
  'blockquote',
])
const dropped = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'noscript',
  'template',
  'svg',
  'math',
  'form',
  'input',
  'button',
  'select',
  'textarea',
])

// Headings keep their rank under the page's own title (h1): what Word or another editor marks h1 is
// a heading of the body, h2; below h4, h4. Blocks with nothing visible in them, such as Word's
// blank lines (<p class=MsoNormal><o:p>&nbsp;</o:p></p>), are dropped.
const renamed: Record<string, string> = { h1: 'h2', h5: 'h4', h6: 'h4' }
const droppedWhenBlank = new Set(['p', 'h2', 'h3', 'h4', 'li', 'blockquote'])
const blank = (html: string) => !/<(br|table)\b/.test(html) && /^[\s\u00a0]*$/.test(html.replace(/<[^>]*>/g, ''))

const escapeText = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** Tags inside one another that a body may hold: what staff type in the editor is a few levels deep. */
export const maxBodyDepth = 100

/**
 * The body as stored and shown. A body nested deeper than maxBodyDepth is refused (422) before the
 * parser sees it (issue #14: 5,000 nested tags held the server), by a linear scan of its tags.
 */
export function sanitizeBody(input: string): string {
  if (!/<[a-zA-Z!/]/.test(input)) return paragraphs(input)
  if (!new DepthMeter(true, maxBodyDepth).feed(input)) {
    const message = `正文的标签嵌套超过 ${maxBodyDepth} 层（上限），无法保存。请清除格式后重新粘贴正文`
    throw new AppError('invalid_input', message, { body: message })
  }
  const $ = cheerio.load(`<div id="root">${input}</div>`, null, false)
  const out = (node: AnyNode): string => {
    if (node.type === 'text') return escapeText((node as unknown as { data: string }).data)
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') return ''
    const el = node as Element
    const raw = el.name.toLowerCase()
    if (dropped.has(raw)) return ''
    const name = renamed[raw] ?? raw
    const inner = (el.children ?? []).map(out).join('')
    if (!allowed.has(name)) return inner
    if (droppedWhenBlank.has(name) && blank(inner)) return ''
    if (name === 'br') return '<br>'
    let attrs = ''
    if (name === 'a') {
      const href = (el.attribs?.href ?? '').trim()
      if (/^(https?:\/\/|\/(?!\/))/i.test(href)) attrs = ` href="${escapeText(href)}" rel="noopener noreferrer"`
    }
    if (name === 'td' || name === 'th') {
      for (const a of ['colspan', 'rowspan'])
        if (/^\d{1,2}$/.test(el.attribs?.[a] ?? '')) attrs += ` ${a}="${el.attribs![a]}"`
    }
    return `<${name}${attrs}>${inner}</${name}>`
  }
  return ($('#root').get(0) as Element).children.map(out).join('').trim()
}

const paragraphs = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${escapeText(l)}</p>`)
    .join('')

/**
 * The body as a page shows it: sanitised, or, for one nested too deep to parse (a refused input shown
 * back in its form, or a body stored before the limit), its text alone, tags stripped in linear time.
 */
export function shownBody(body: string): string {
  try {
    return sanitizeBody(body)
  } catch (e) {
    if (!(e instanceof AppError)) throw e
    return paragraphs(body.replace(/<[^<>]*>/g, ' ').replace(/[ \t]+/g, ' '))
  }
}

/** Raise whenever sanitizeBody or shownBody changes what a page shows: every kept page body is then made again. */
export const bodySanitiserVersion = 1

/**
 * What a page body kept on the item's row (shown_body) was made from: the sanitiser's version and the
 * body's hash, so that a body changed by any path, or a new sanitiser, is never shown from the old HTML.
 */
export const shownBodyKey = (body: string) =>
  `${bodySanitiserVersion}:${createHash('sha256').update(body).digest('base64url')}`

/** The text of a body, for search, the scan's reading, feeds and pasting into other platforms. */
export const bodyText = (body: string) =>
  htmlText(body)
    .replace(/\n{2,}/g, '\n')
    .trim()
