import type { ComponentChildren } from 'preact'
import type { Agency } from '../agencies/agency.ts'
import { formatShanghai } from '../clock.ts'
import { AgencyFilter, GenreAndYearFilters } from './filter-fields.views.tsx'
import type { ItemRow } from '../disclosures/disclosure.store.ts'
import { bodyText } from '../disclosures/rich-text.ts'
import { normaliseText } from '../reports/import/normalize.ts'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { SearchQuery } from './portal.service.ts'

/** Marks every occurrence of the query's words in a piece of text (escaped by Preact as text). */
export function highlight(text: string, q: string): ComponentChildren {
  const words = normaliseText(q).toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return text
  const lower = normaliseText(text).toLowerCase()
  const marks: [number, number][] = []
  for (const w of words)
    for (let i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + w.length)) marks.push([i, i + w.length])
  marks.sort((a, b) => a[0] - b[0])
  const out: ComponentChildren[] = []
  let at = 0
  for (const [s, e] of marks) {
    if (s < at) continue
    out.push(text.slice(at, s), <mark>{text.slice(s, e)}</mark>)
    at = e
  }
  out.push(text.slice(at))
  return out
}

function snippet(item: ItemRow, q: string): string {
  const body = item.summary ?? bodyText(item.body)
  const first = normaliseText(body)
    .toLowerCase()
    .indexOf(normaliseText(q).toLowerCase().split(/\s+/)[0] ?? '')
  const start = Math.max(0, first - 40)
  return `${start > 0 ? '…' : ''}${body.slice(start, start + 120)}${body.length > start + 120 ? '…' : ''}`
}

export function SearchPage(props: {
  ctx: PageContext
  query: SearchQuery
  agencies: Agency[]
  items: ItemRow[]
  /** Whether there is a page after this one. */
  more: boolean
}) {
  const { agencies, items } = props
  const params = props.query
  const { q, sort, page } = params
  const names = new Map(agencies.map((a) => [a.id, a.name]))
  const link = (over: Record<string, string | number | undefined>) =>
    `/search?${new URLSearchParams(
      Object.entries({ q, agency: params.agency, year: params.year, genre: params.genre, sort, ...over })
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => [k, String(v)]),
    ).toString()}`
  return (
    <PortalLayout ctx={props.ctx} title={q ? `“${q}”的搜索结果` : '搜索'}>
      <h1>搜索政府信息</h1>
      <form method="get" action="/search" role="search" class="filters">
        <div class="field">
          <label for="f-q">关键词</label>
          <input id="f-q" name="q" type="search" value={q} />
        </div>
        <AgencyFilter agencies={agencies} selected={params.agency} />
        <GenreAndYearFilters genre={params.genre} year={params.year} />
        <div class="field">
          <label for="f-sort">排序</label>
          <select id="f-sort" name="sort">
            <option value="relevance" selected={sort === 'relevance'}>
              按相关度
            </option>
            <option value="date" selected={sort === 'date'}>
              按日期
            </option>
          </select>
        </div>
        <button type="submit">搜索</button>
      </form>
      {q &&
        (items.length === 0 ? (
          <p>没有找到包含“{q}”的信息。</p>
        ) : (
          <ol class="results" start={(page - 1) * 20 + 1}>
            {items.map((i) => (
              <li>
                <a href={`/items/${i.id}`}>{highlight(i.title, q)}</a>
                <p class="hint">
                  {names.get(i.agency_id)} {i.published_at && formatShanghai(i.published_at).slice(0, 10)}
                </p>
                <p>{highlight(snippet(i, q), q)}</p>
              </li>
            ))}
          </ol>
        ))}
      <nav aria-label="分页" class="pager">
        {page > 1 && <a href={link({ page: page - 1 })}>上一页</a>}
        {props.more && <a href={link({ page: page + 1 })}>下一页</a>}
      </nav>
    </PortalLayout>
  )
}
