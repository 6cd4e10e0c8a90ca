import { formatShanghai } from '../clock.ts'
import type { Agency } from '../agencies/agency.ts'
import { AgencyFilter, GenreAndYearFilters } from './filter-fields.views.tsx'
import type { CatalogueKey, ColumnRow, ItemRow } from '../disclosures/disclosure.store.ts'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import { reportTitle } from '../reports/render/report-html.tsx'
import type { StoredReport } from '../reports/report.store.ts'
import type { AgencyCatalogueFilter, CataloguePage, ColumnSection, RegionCatalogueFilter } from './portal.service.ts'

// The public side of proactive disclosure: an agency's columns, the catalogues, a column's items,
// an item's page with its catalogue metadata.

/** A catalogue page's link to the page after or before a key, with the same filters. */
const pageLink = (
  path: string,
  filter: Record<string, string | number | undefined>,
  side: 'after' | 'before',
  key: CatalogueKey,
) =>
  `${path}?${new URLSearchParams(
    Object.entries({ ...filter, [side]: `${key.published_at}_${key.id}` })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString()}`

/** 共 N 条信息, or 共 N 余条信息 past the count's cap. */
const totalLine = (page: CataloguePage) => `共 ${page.total} ${page.totalCapped ? '余条' : '条'}信息。`

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
              {c.class === 'guide' ? (
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

export function AgencyCataloguePage(
  props: CataloguePage & {
    ctx: PageContext
    agency: Agency
    columns: ColumnRow[]
    filter: AgencyCatalogueFilter
  },
) {
  const { agency, columns, items } = props
  const f = props.filter
  const id = agency.id
  const names = new Map(columns.map((c) => [c.id, c.name]))
  const link = (side: 'after' | 'before', key: CatalogueKey) =>
    pageLink(`/agencies/${id}/catalogue`, { column: f.column, genre: f.genre, year: f.year }, side, key)
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
      <p class="total">{totalLine(props)}</p>
      <table class="stack">
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
          {items.map((i) => (
            <tr>
              <td data-label="索引号">{i.index_number}</td>
              <td data-label="名称">
                <a href={`/items/${i.id}`}>{i.title}</a>
              </td>
              <td data-label="文号">{i.doc_number ?? ''}</td>
              <td data-label="栏目">{names.get(i.column_id)}</td>
              <td data-label="发布日期">{i.published_at && formatShanghai(i.published_at).slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager newer={props.newer} older={props.older} link={link} />
    </PortalLayout>
  )
}

/** Previous and next links under a catalogue page of 50 items. */
function Pager(props: {
  newer: CatalogueKey | undefined
  older: CatalogueKey | undefined
  link: (side: 'after' | 'before', key: CatalogueKey) => string
}) {
  return (
    <nav aria-label="分页" class="pager">
      {props.newer && <a href={props.link('before', props.newer)}>上一页</a>}
      {props.older && <a href={props.link('after', props.older)}>下一页</a>}
    </nav>
  )
}

export function RegionCataloguePage(
  props: CataloguePage & { ctx: PageContext; agencies: Agency[]; filter: RegionCatalogueFilter },
) {
  const { agencies, items } = props
  const f = props.filter
  const names = new Map(agencies.map((a) => [a.id, a.name]))
  const link = (side: 'after' | 'before', key: CatalogueKey) =>
    pageLink('/catalogue', { agency: f.agency, genre: f.genre, year: f.year }, side, key)
  return (
    <PortalLayout ctx={props.ctx} title="政府信息公开目录">
      <h1>政府信息公开目录</h1>
      <form method="get" action="/catalogue" class="filters">
        <AgencyFilter agencies={agencies} selected={f.agency} />
        <GenreAndYearFilters genre={f.genre} year={f.year} />
        <button type="submit">筛选</button>
      </form>
      <p class="total">{totalLine(props)}</p>
      <table class="stack">
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
          {items.map((i) => (
            <tr>
              <td data-label="索引号">{i.index_number}</td>
              <td data-label="名称">
                <a href={`/items/${i.id}`}>{i.title}</a>
              </td>
              <td data-label="发布机构">{names.get(i.agency_id)}</td>
              <td data-label="文号">{i.doc_number ?? ''}</td>
              <td data-label="发布日期">{i.published_at && formatShanghai(i.published_at).slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager newer={props.newer} older={props.older} link={link} />
    </PortalLayout>
  )
}

export function PublicColumnPage(props: {
  ctx: PageContext
  column: ColumnRow
  agency: Agency | undefined
  items: ItemRow[]
  /** Its sub-columns with their latest items (法定主动公开内容). */
  sections: ColumnSection[]
  /** The agency's published reports, in its 政府信息公开年报 column. */
  reports: (StoredReport & { agency_name: string })[]
}) {
  const { column, agency, items, sections, reports } = props
  return (
    <PortalLayout ctx={props.ctx} title={column.name}>
      <p>
        <a href={`/agencies/${column.agency_id}`}>{agency?.name}</a> › {column.name}
      </p>
      <h1>{column.name}</h1>
      <p>
        <a href={`/columns/${column.id}/feed.xml`}>订阅本栏目（Atom）</a>
      </p>
      {sections.length > 0 && <ColumnSections sections={sections} />}
      {reports.length > 0 && <ReportList reports={reports} />}
      {items.length === 0 ? (
        sections.length === 0 && reports.length === 0 && <p>本栏目暂无信息。</p>
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

/** The sub-columns of a column, each with its latest items and a link to all of them. */
export function ColumnSections(props: { sections: ColumnSection[] }) {
  return (
    <div class="sections">
      {props.sections.map(({ column, items }) => (
        <section aria-labelledby={`col-${column.id}`} class="section">
          <h2 id={`col-${column.id}`}>
            <a href={`/columns/${column.id}`}>{column.name}</a>
          </h2>
          {items.length === 0 ? (
            <p class="hint">暂无信息</p>
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
        </section>
      ))}
    </div>
  )
}

function ReportList(props: { reports: (StoredReport & { agency_name: string })[] }) {
  return (
    <ul class="report-list">
      {props.reports.map((r) => (
        <li>
          <a href={`/reports/${r.id}`}>{reportTitle(r.report)}</a>{' '}
          <span class="hint">
            {r.published_at && formatShanghai(r.published_at).slice(0, 10)} 发布
            {r.status === 'superseded' ? '（已被更正版本取代）' : r.version > 1 ? `（第 ${r.version} 版，更正）` : ''}
          </span>
        </li>
      ))}
    </ul>
  )
}
