import type { FastifyInstance } from 'fastify'
import type { ComponentChildren } from 'preact'
import { z } from 'zod'
import { listAgencies } from '../agencies/agency.store.ts'
import { formatShanghai } from '../clock.ts'
import { findItem } from '../disclosures/disclosure.store.ts'
import type { ItemRow } from '../disclosures/disclosure.store.ts'
import { normaliseText } from '../reports/import/normalize.ts'
import { searchItems } from '../search/search.store.ts'
import { genres } from '../disclosures/disclosure.ts'
import { bodyText } from '../disclosures/rich-text.ts'
import { PortalLayout } from '../web/layout.tsx'
import { pageContext } from '../web/request-context.ts'

// Search across the region (/search?q=), with filters, ordered by relevance or date, matches marked.

const query = z.object({
  q: z.string().max(100).optional(),
  agency: z.coerce.number().int().positive().optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  genre: z.enum(genres).optional().catch(undefined),
  sort: z.enum(['relevance', 'date']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
})

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

export function portalSearchRoutes(app: FastifyInstance): void {
  const deps = app.deps
  app.get('/search', async (request, reply) => {
    const params = query.parse(request.query)
    const q = params.q?.trim() ?? ''
    const sort = params.sort ?? 'relevance'
    const page = params.page ?? 1
    const hits = q
      ? await searchItems(
          deps.db,
          deps.kind,
          q,
          { agencyId: params.agency, year: params.year, genre: params.genre },
          sort,
          21,
          (page - 1) * 20,
        )
      : []
    const items = (await Promise.all(hits.slice(0, 20).map((h) => findItem(deps.db, h.id)))).filter((i): i is ItemRow =>
      Boolean(i),
    )
    const agencies = await listAgencies(deps.db)
    const names = new Map(agencies.map((a) => [a.id, a.name]))
    const link = (over: Record<string, string | number | undefined>) =>
      `/search?${new URLSearchParams(
        Object.entries({ q, agency: params.agency, year: params.year, genre: params.genre, sort, ...over })
          .filter(([, v]) => v !== undefined && v !== '')
          .map(([k, v]) => [k, String(v)]),
      ).toString()}`
    return reply.page(
      200,
      <PortalLayout ctx={pageContext(request)} title={q ? `“${q}”的搜索结果` : '搜索'}>
        <h1>搜索政府信息</h1>
        <form method="get" action="/search" role="search" class="filters">
          <div class="field">
            <label for="f-q">关键词</label>
            <input id="f-q" name="q" type="search" value={q} />
          </div>
          <div class="field">
            <label for="f-agency">机关</label>
            <select id="f-agency" name="agency">
              <option value="">全部机关</option>
              {agencies.map((a) => (
                <option value={String(a.id)} selected={a.id === params.agency}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-genre">体裁</label>
            <select id="f-genre" name="genre">
              <option value="">全部</option>
              {genres.map((g) => (
                <option value={g} selected={g === params.genre}>
                  {g}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-year">发布年份</label>
            <input id="f-year" name="year" inputMode="numeric" value={params.year ? String(params.year) : ''} />
          </div>
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
          {hits.length > 20 && <a href={link({ page: page + 1 })}>下一页</a>}
        </nav>
      </PortalLayout>,
    )
  })
}
