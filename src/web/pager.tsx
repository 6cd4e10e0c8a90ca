import { z } from 'zod'
import { pageSize } from '../paging.ts'

// Paging shared by every console list that can grow: 50 rows a page, the total always shown
// (共 N 条), numbered page links that keep the filters, and an empty result said in words.

/** `?page=` as a page number; anything else is the first page. */
export const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1)

/** A list's address with its filters and page (empty filters left out). */
export function listLink(path: string, filter: Record<string, string | number | undefined>, page: number): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') q.set(k, String(v))
  if (page > 1) q.set('page', String(page))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

/** The pages to link: the first, the last, and two either side of the current one. */
function pageNumbers(page: number, last: number): (number | '…')[] {
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, last])]
    .filter((p) => p >= 1 && p <= last)
    .sort((a, b) => a - b)
  return shown.flatMap((p, i) => (i > 0 && p - shown[i - 1]! > 1 ? (['…', p] as const) : ([p] as const)))
}

/** "共 N 条" and the page links under a list; `unit` names the rows (条 unless said). */
export function Pager(props: {
  total: number
  page: number
  link: (page: number) => string
  unit?: string
  /** Names the list when a page holds more than one (the navigation landmarks must differ). */
  label?: string
}) {
  const last = Math.max(1, Math.ceil(props.total / pageSize))
  const unit = props.unit ?? '条'
  return (
    <nav aria-label={props.label ? `${props.label}分页` : '分页'} class="pager">
      <span class="pager-total">
        共 {props.total} {unit}
        {last > 1 && `，第 ${props.page} / ${last} 页`}
      </span>
      {last > 1 && (
        <>
          {props.page > 1 && (
            <a href={props.link(props.page - 1)} rel="prev">
              上一页
            </a>
          )}
          {pageNumbers(props.page, last).map((p) =>
            p === '…' ? (
              <span aria-hidden="true">…</span>
            ) : p === props.page ? (
              <strong aria-current="page">{p}</strong>
            ) : (
              <a href={props.link(p)} aria-label={`第 ${p} 页`}>
                {p}
              </a>
            ),
          )}
          {props.page < last && (
            <a href={props.link(props.page + 1)} rel="next">
              下一页
            </a>
          )}
        </>
      )}
    </nav>
  )
}

/** The row shown in place of an empty list's rows. */
export function EmptyRow(props: { columns: number; filtered: boolean }) {
  return (
    <tr>
      <td colSpan={props.columns} class="empty">
        {props.filtered ? '没有符合筛选条件的记录，请修改或清除筛选条件。' : '暂无记录。'}
      </td>
    </tr>
  )
}

/** A `YYYY-MM-DD` date filter: the date, or a Chinese message saying what is wrong with it. */
export function dateFilter(value: unknown, label: string): { value?: string; problem?: string } {
  if (typeof value !== 'string' || value.trim() === '') return {}
  const v = value.trim()
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  const d = m ? new Date(`${v}T00:00:00Z`) : undefined
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v)
    return { problem: `${label}“${v.slice(0, 20)}”不是有效日期，请按 年-月-日 填写，例如 2026-03-01。` }
  return { value: v }
}

/** A free-text filter, trimmed and cut to a sensible length. */
export const textFilter = (value: unknown, max = 50): string | undefined => {
  if (typeof value !== 'string') return undefined
  const v = [...value.trim()].slice(0, max).join('')
  return v === '' ? undefined : v
}
