// What the portal's search makes of the text typed into it.

/** A query longer than this is cut: titles and 文号 are shorter, and a pasted paragraph still finds its item. */
export const maxQueryLength = 50

/** The query as searched: trimmed, and cut to `maxQueryLength` characters (never a refusal). */
export function searchText(raw: string | undefined): { q: string; cut: boolean } {
  const chars = [...(raw ?? '').trim()]
  return chars.length > maxQueryLength
    ? { q: chars.slice(0, maxQueryLength).join('').trim(), cut: true }
    : { q: chars.join(''), cut: false }
}

const brackets = /[〔[［(（]\s*(\d{4})\s*[〕\]］)）]/

/**
 * The spellings under which a typed 索引号 or 文号 may be stored: as typed, upper-cased (索引号
 * carry the USCC's capitals), and a 文号's year in 〔〕 (the bracket GB/T 9704-2012 prescribes) or
 * in the brackets people type instead.
 */
export function numberSpellings(q: string): string[] {
  const typed = q.replace(/\s+/g, '')
  if (!/\d/.test(typed) || typed.length < 4) return []
  const out = new Set([typed, typed.toUpperCase()])
  const m = brackets.exec(typed)
  if (m)
    for (const [open, close] of ['〔〕', '[]', '［］', '()', '（）'])
      out.add(typed.replace(brackets, `${open}${m[1]}${close}`))
  return [...out]
}
