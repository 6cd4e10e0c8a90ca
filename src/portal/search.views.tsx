import type { ComponentChildren } from 'preact'
import type { Agency } from '../agencies/agency.ts'
import { formatShanghai } from '../clock.ts'
import { AgencyFilter, GenreAndYearFilters } from './filter-fields.views.tsx'
import type { ItemRow } from '../disclosures/disclosure.store.ts'
import { bodyText } from '../disclosures/rich-text.ts'
import { normaliseText } from '../reports/import/normalize.ts'
import { Notice } from '../web/form.tsx'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { SearchQuery } from './portal.service.ts'
import { maxQueryLength } from './search-query.ts'

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
  /** How many items the full-text search found (counted up to a cap), and whether the cap was reached. */
  total: number
  totalCapped: boolean
  /** Items whose 索引号 or 文号 is the query as typed. */
  byNumber: ItemRow[]
  /** Whether the query was cut to the searchable length. */
  cut: boolean
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
      {props.cut && <Notice kind="warn">搜索词过长，已截取前 {maxQueryLength} 个字进行搜索。</Notice>}
      {props.byNumber.length > 0 && (
        <section aria-labelledby="by-number">
          <h2 id="by-number">索引号或文号为“{q}”的信息</h2>
          <ul class="item-list">
            {props.byNumber.map((i) => (
              <li>
                <a href={`/items/${i.id}`}>{i.title}</a>{' '}
                <span class="hint">
                  {i.index_number}
                  {i.doc_number && ` · ${i.doc_number}`} · {names.get(i.agency_id)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {q && items.length > 0 && (
        <p class="total">
          共找到 {props.totalCapped ? `${props.total} 条以上` : `${props.total} 条`}
          信息，第 {page} 页。
        </p>
      )}
      {q &&
        (items.length === 0 ? (
          props.byNumber.length === 0 && <NothingFound q={q} />
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

/** A search that found nothing offers the other way to the information: applying for it (条例 art. 27). */
function NothingFound(props: { q: string }) {
  return (
    <div class="nothing-found">
      <p>没有找到包含“{props.q}”的信息。</p>
      <p>
        请尝试更换或减少关键词。所需政府信息没有主动公开的，可以依照《中华人民共和国政府信息公开条例》第二十七条
        <a href="/apply">申请政府信息公开</a>。
      </p>
    </div>
  )
}
