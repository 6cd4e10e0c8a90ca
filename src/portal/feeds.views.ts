import type { ColumnRow, ItemRow } from '../disclosures/disclosure.store.ts'
import { escapeHtml } from '../disclosures/disclosure.service.ts'
import { bodyText } from '../disclosures/rich-text.ts'

// The Atom feed of a column and the sitemap, as XML text. Links are absolute on `base` (the
// configured PUBLIC_URL, or '' for site-relative links); every inserted text is escaped.

export function columnFeedXml(origin: string, column: ColumnRow, items: ItemRow[]): string {
  const base = escapeHtml(origin)
  const id = column.id
  const updated = items[0]?.published_at ?? column.created_at
  const entries = items
    .map(
      (i) => `  <entry>
    <id>${base}/items/${i.id}</id>
    <title>${escapeHtml(i.title)}</title>
    <link href="${base}/items/${i.id}"/>
    <updated>${escapeHtml(i.published_at ?? '')}</updated>
    <summary>${escapeHtml((i.summary ?? bodyText(i.body)).slice(0, 200))}</summary>
  </entry>`,
    )
    .join('\n')
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${base}/columns/${id}</id>
  <title>${escapeHtml(column.name)}</title>
  <link href="${base}/columns/${id}"/>
  <link rel="self" href="${base}/columns/${id}/feed.xml"/>
  <updated>${escapeHtml(updated)}</updated>
${entries}
</feed>
`
}

/** The <url> entries of a slice of a sitemap's paths, absolute on `base`. */
export function sitemapEntries(base: string, paths: readonly string[]): string {
  const origin = escapeHtml(base)
  return paths.map((p) => `  <url><loc>${origin}${escapeHtml(p)}</loc></url>\n`).join('')
}

/** A sitemap (sitemaps.org) of the entries rendered slice by slice. */
export function sitemapXml(entries: readonly string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.join('')}</urlset>
`
}

/** The sitemap index (sitemaps.org): one entry per sitemap number, at /sitemaps/<n>.xml. */
export function sitemapIndexXml(base: string, numbers: readonly number[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${numbers.map((n) => `  <sitemap><loc>${escapeHtml(`${base}/sitemaps/${n}.xml`)}</loc></sitemap>`).join('\n')}
</sitemapindex>
`
}
