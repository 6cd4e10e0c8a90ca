import { formatShanghai } from '../clock.ts'
import type { Agency } from '../agencies/agency.ts'
import { validityLabels } from '../disclosures/disclosure.ts'
import { AgencyFilter, GenreAndYearFilters } from './filter-fields.views.tsx'
import type { ColumnRow, ItemRow } from '../disclosures/disclosure.store.ts'
import { sanitizeBody } from '../disclosures/rich-text.ts'
import { Notice } from '../web/form.tsx'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { AgencyCatalogueFilter, PublicItem, RegionCatalogueFilter } from './portal.service.ts'

// The public side of proactive disclosure: an agency's columns, the catalogues, a column's items,
// an item's page with its catalogue metadata.

/** A catalogue page's link to another page with the same filters. */
const pageLink = (path: string, filter: Record<string, string | number | undefined>, page: number) =>
  `${path}?${new URLSearchParams(
    Object.entries({ ...filter, page })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString()}`

export function AgencyPortalPage(props: { ctx: PageContext; agency: Agency; columns: ColumnRow[] }) {
  const { agency, columns } = props
  const id = agency.id
  const top = columns.filter((c) => c.parent_id === null)
  return (
    <PortalLayout ctx={props.ctx} title={`${agency.name}政府信息公开`}>
      <h1>{agency.name}政府信息公开</h1>
      <p>
        <a href={`/agencies/${id}/apply`}>在线申请政府信息公开</a> · <a href="/track">申请查询</a>
      </p>
      <nav aria-label="栏目">
        <ul class="column-tree">
          {top.map((c) => (
            <li>
              {c.class === 'report' ? (
                <a href="/reports">{c.name}</a>
              ) : c.class === 'guide' ? (
                <a href={`/agencies/${id}/guide`}>{c.name}</a>
              ) : c.class === 'catalogue' ? (
                <a href={`/agencies/${id}/catalogue`}>{c.name}</a>
              ) : (
                <a href={`/columns/${c.id}`}>{c.name}</a>
              )}
              {columns.some((x) => x.parent_id === c.id) && (
                <ul>
                  {columns
                    .filter((x) => x.parent_id === c.id)
                    .map((x) => (
                      <li>
                        <a href={`/columns/${x.id}`}>{x.name}</a>
                      </li>
                    ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </nav>
    </PortalLayout>
  )
}

export function AgencyCataloguePage(props: {
  ctx: PageContext
  agency: Agency
  columns: ColumnRow[]
  filter: AgencyCatalogueFilter
  page: number
  /** One more than a page holds when there is a next page. */
  items: ItemRow[]
}) {
  const { agency, columns, page, items } = props
  const f = props.filter
  const id = agency.id
  const names = new Map(columns.map((c) => [c.id, c.name]))
  const link = (p: number) =>
    pageLink(`/agencies/${id}/catalogue`, { column: f.column, genre: f.genre, year: f.year }, p)
  return (
    <PortalLayout ctx={props.ctx} title={`${agency.name}政府信息公开目录`}>
      <p>
        <a href={`/agencies/${id}`}>{agency.name}</a> › 政府信息公开目录
      </p>
      <h1>{agency.name}政府信息公开目录</h1>
      <form method="get" action={`/agencies/${id}/catalogue`} class="filters">
        <div class="field">
          <label for="f-column">栏目</label>
          <select id="f-column" name="column">
            <option value="">全部</option>
            {columns
              .filter((c) => !columns.some((x) => x.parent_id === c.id))
              .map((c) => (
                <option value={String(c.id)} selected={c.id === f.column}>
                  {c.name}
                </option>
              ))}
          </select>
        </div>
        <GenreAndYearFilters genre={f.genre} year={f.year} />
        <button type="submit">筛选</button>
      </form>
      <table>
        <caption>目录（最新在前）</caption>
        <thead>
          <tr>
            <th scope="col">索引号</th>
            <th scope="col">名称</th>
            <th scope="col">文号</th>
            <th scope="col">栏目</th>
            <th scope="col">发布日期</th>
          </tr>
        </thead>
        <tbody>
          {items.slice(0, 50).map((i) => (
            <tr>
              <td>{i.index_number}</td>
              <td>
                <a href={`/items/${i.id}`}>{i.title}</a>
              </td>
              <td>{i.doc_number ?? ''}</td>
              <td>{names.get(i.column_id)}</td>
              <td>{i.published_at && formatShanghai(i.published_at).slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={page} more={items.length > 50} link={link} />
    </PortalLayout>
  )
}

/** Previous and next links under a catalogue page of 50 items. */
function Pager(props: { page: number; more: boolean; link: (page: number) => string }) {
  return (
    <nav aria-label="分页" class="pager">
      {props.page > 1 && <a href={props.link(props.page - 1)}>上一页</a>}
      {props.more && <a href={props.link(props.page + 1)}>下一页</a>}
    </nav>
  )
}

export function RegionCataloguePage(props: {
  ctx: PageContext
  agencies: Agency[]
  filter: RegionCatalogueFilter
  page: number
  /** One more than a page holds when there is a next page. */
  items: ItemRow[]
}) {
  const { agencies, page, items } = props
  const f = props.filter
  const names = new Map(agencies.map((a) => [a.id, a.name]))
  const link = (p: number) => pageLink('/catalogue', { agency: f.agency, genre: f.genre, year: f.year }, p)
  return (
    <PortalLayout ctx={props.ctx} title="政府信息公开目录">
      <h1>政府信息公开目录</h1>
      <form method="get" action="/catalogue" class="filters">
        <AgencyFilter agencies={agencies} selected={f.agency} />
        <GenreAndYearFilters genre={f.genre} year={f.year} />
        <button type="submit">筛选</button>
      </form>
      <table>
        <caption>全区域目录（最新在前）</caption>
        <thead>
          <tr>
            <th scope="col">索引号</th>
            <th scope="col">名称</th>
            <th scope="col">发布机构</th>
            <th scope="col">文号</th>
            <th scope="col">发布日期</th>
          </tr>
        </thead>
        <tbody>
          {items.slice(0, 50).map((i) => (
            <tr>
              <td>{i.index_number}</td>
              <td>
                <a href={`/items/${i.id}`}>{i.title}</a>
              </td>
              <td>{names.get(i.agency_id)}</td>
              <td>{i.doc_number ?? ''}</td>
              <td>{i.published_at && formatShanghai(i.published_at).slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={page} more={items.length > 50} link={link} />
    </PortalLayout>
  )
}

export function PublicColumnPage(props: {
  ctx: PageContext
  column: ColumnRow
  agency: Agency | undefined
  items: ItemRow[]
}) {
  const { column, agency, items } = props
  return (
    <PortalLayout ctx={props.ctx} title={column.name}>
      <p>
        <a href={`/agencies/${column.agency_id}`}>{agency?.name}</a> › {column.name}
      </p>
      <h1>{column.name}</h1>
      <p>
        <a href={`/columns/${column.id}/feed.xml`}>订阅本栏目（Atom）</a>
      </p>
      {items.length === 0 ? (
        <p>本栏目暂无信息。</p>
      ) : (
        <ul class="item-list">
          {items.map((i) => (
            <li>
              <a href={`/items/${i.id}`}>{i.title}</a>{' '}
              <span class="hint">{i.published_at && formatShanghai(i.published_at).slice(0, 10)}</span>
            </li>
          ))}
        </ul>
      )}
    </PortalLayout>
  )
}

export function PublicItemPage(props: PublicItem & { ctx: PageContext }) {
  const { item, agency, column, attachments } = props
  const rows: [string, string | null][] = [
    ['索引号', item.index_number],
    ['名称', item.title],
    ['发布机构', agency?.name ?? null],
    ['文号', item.doc_number],
    ['成文日期', item.written_on],
    ['发布日期', item.published_at ? formatShanghai(item.published_at).slice(0, 10) : null],
    ['主题分类', item.topic],
    ['体裁', item.genre],
    ['主题词', item.keywords],
    ['有效性', validityLabels[item.validity as keyof typeof validityLabels] ?? item.validity],
    ['实施日期', item.effective_on],
    ['废止日期', item.repealed_on],
    ['失效日期', item.lapsed_on],
  ]
  return (
    <PortalLayout ctx={props.ctx} title={item.title}>
      <p>
        <a href={`/agencies/${item.agency_id}`}>{agency?.name}</a> ›{' '}
        <a href={`/columns/${item.column_id}`}>{column?.name}</a>
      </p>
      <table class="metadata">
        <caption>信息目录</caption>
        <tbody>
          {rows
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <tr>
                <th scope="row">{k}</th>
                <td>{v}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <h1>{item.title}</h1>
      {item.validity !== 'valid' && (
        <Notice kind="warn">
          本文件已{validityLabels[item.validity as keyof typeof validityLabels]}（{item.repealed_on ?? item.lapsed_on}
          ）。
        </Notice>
      )}
      {item.status === 'withdrawn' ? (
        <Notice kind="warn">本信息已撤回。撤回说明：{item.withdrawn_reason}</Notice>
      ) : (
        <>
          <div class="item-body" dangerouslySetInnerHTML={{ __html: sanitizeBody(item.body) }} />
          {attachments.length > 0 && (
            <section aria-labelledby="att-h">
              <h2 id="att-h">附件</h2>
              <ul>
                {attachments.map((a) => (
                  <li>
                    <a href={`/items/${item.id}/attachments/${a.id}`}>{a.file_name}</a>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </PortalLayout>
  )
}
