import type { ItemRow } from '../disclosures/disclosure.store.ts'
import { bodyText } from '../disclosures/rich-text.ts'
import type { Executor } from '../storage/database.ts'
import { interpretationColumnIds, itemsNamed, itemsNaming } from './portal.store.ts'
import { numberSpellings } from './search-query.ts'

// 相关解读: a policy and its 解读 are linked both ways (国办发〔2016〕80号 asks that a policy and its
// interpretation be published together and linked). No relation is stored: an item in a 解读
// column (政策解读, or any column of the region whose name has 解读) is the interpretation of the published items whose 文号 it names, or whose
// title it names between 《》; a policy's interpretations are the 解读 items naming its 文号 or
// its title. Drafters already write “《关于…的通知》（垫府办发〔2026〕3号）解读”, so the link
// appears as soon as both are published, and goes when either is withdrawn.

// A 文号: issuer's abbreviation, the year in brackets of any kind, the serial and 号.
const docNumberPattern = /[\p{Script=Han}]{1,16}[〔[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,5})\s*号/gu

/**
 * The 文号 an item's text names, in the spellings it may be stored under: where the issuer's
 * abbreviation starts is unknown in running text (“印发了垫府办发〔2026〕3号”), so every tail of the
 * Han run before the bracket is tried, each with the year in 〔〕 as GB/T 9704-2012 writes it.
 */
export function docNumbersIn(text: string): string[] {
  const out = new Set<string>()
  for (const m of text.matchAll(docNumberPattern)) {
    const run = [...m[0].slice(0, m[0].search(/[〔[［(（]/))]
    for (let start = 0; start <= run.length - 2; start++) out.add(`${run.slice(start).join('')}〔${m[1]}〕${m[2]}号`)
  }
  return [...out]
}

/** The titles an item's text names between 《》, long enough to mean one document. */
export const titlesIn = (text: string): string[] => [
  ...new Set([...text.matchAll(/《([^《》]{6,200})》/g)].map((m) => m[1]!.trim())),
]

/** The other side of the 政策解读 relation of a published item: its policies, or its interpretations. */
export async function relatedOf(
  db: Executor,
  item: ItemRow,
): Promise<{ kind: 'policies' | 'interpretations'; items: ItemRow[] }> {
  const interpretationColumns = await interpretationColumnIds(db)
  if (interpretationColumns.includes(item.column_id)) {
    const text = `${item.title}\n${bodyText(item.body)}`
    const policies = await itemsNamed(db, docNumbersIn(text), titlesIn(text), interpretationColumns)
    return { kind: 'policies', items: policies }
  }
  // The 文号 as stored and as people type its brackets, and the title when long enough to mean one document.
  const numbers = item.doc_number ? numberSpellings(item.doc_number) : []
  const phrases = [...numbers, ...(item.title.length >= 6 ? [item.title] : [])]
  const found = await itemsNaming(db, interpretationColumns, phrases)
  return { kind: 'interpretations', items: found.filter((i) => i.id !== item.id) }
}
