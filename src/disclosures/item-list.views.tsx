import { formatShanghai } from '../clock.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import { EmptyRow, listLink, Pager } from '../web/pager.tsx'
import type { ColumnRow, ItemRow } from './disclosure.store.ts'
import { itemStatusLabels } from './disclosure.ts'

// The console's list of the agency's items: searched by title, 索引号 or 文号, filtered by column
// and status, 50 a page with the total, so that no item is out of reach.

/** What the list's filter boxes hold (as typed). */
export type ItemListFilterInput = { q?: string | undefined; column?: number | undefined; status?: string | undefined }

export function ItemsPage(props: {
  ctx: PageContext
  items: ItemRow[]
  total: number
  page: number
  columns: ColumnRow[]
  columnNames: Map<number, string>
  filter: ItemListFilterInput
  canDraft: boolean
}) {
  const f = props.filter
  const filtered = !!(f.q || f.column || f.status)
  const link = (page: number) => listLink('/console/items', { q: f.q, column: f.column, status: f.status }, page)
  return (
    <ConsoleLayout ctx={props.ctx} title="主动公开信息">
      <h1>主动公开信息</h1>
      {props.canDraft && (
        <p>
          <a class="button" href="/console/items/new">
            起草新信息
          </a>
        </p>
      )}
      <form method="get" action="/console/items" class="filters" role="search" aria-label="查找信息">
        <div class="field">
          <label for="f-q">名称、索引号或文号</label>
          <input id="f-q" name="q" value={f.q ?? ''} maxLength={50} />
        </div>
        <div class="field">
          <label for="f-column">栏目</label>
          <select id="f-column" name="column">
            <option value="">全部栏目</option>
            {props.columns.map((c) => (
              <option value={String(c.id)} selected={c.id === f.column}>
                {c.parent_id ? `\u3000${c.name}` : c.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-status">状态</label>
          <select id="f-status" name="status">
            <option value="">全部状态</option>
            {Object.entries(itemStatusLabels).map(([v, l]) => (
              <option value={v} selected={f.status === v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">查找</button>
        {filtered && <a href="/console/items">清除筛选</a>}
      </form>
      <table>
        <caption>
          本机关的信息（共 {props.total} 条{filtered && '，已筛选'}，最近修改的在前）
        </caption>
        <thead>
          <tr>
            <th scope="col">名称</th>
            <th scope="col">栏目</th>
            <th scope="col">索引号</th>
            <th scope="col">状态</th>
            <th scope="col">更新时间</th>
          </tr>
        </thead>
        <tbody>
          {props.items.length === 0 && <EmptyRow columns={5} filtered={filtered} />}
          {props.items.map((i) => (
            <tr>
              <td>
                <a href={`/console/items/${i.id}`}>{i.title}</a>
              </td>
              <td>{props.columnNames.get(i.column_id)}</td>
              <td>{i.index_number}</td>
              <td>{itemStatusLabels[i.status]}</td>
              <td>{formatShanghai(i.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager total={props.total} page={props.page} link={link} />
    </ConsoleLayout>
  )
}
