// Paging of the console lists that can grow: 50 rows a page and the number of rows the whole
// filtered list holds, so that nothing is cut silently. The links are drawn by web/pager.tsx.

export const pageSize = 50

/** One page of a list, with the number of rows the whole filtered list holds. */
export type Paged<T> = { rows: T[]; total: number; page: number }

/** The offset of a page in SQL. */
export const offsetOf = (page: number) => (page - 1) * pageSize

/** The page asked for, or the last one when the list is shorter. */
export const clampPage = (page: number, total: number) => Math.min(page, Math.max(1, Math.ceil(total / pageSize)))

/** One page of a list held in memory (a list that must be computed before it can be filtered). */
export function pageOf<T>(all: readonly T[], page: number): Paged<T> {
  const p = clampPage(page, all.length)
  return { rows: all.slice(offsetOf(p), offsetOf(p) + pageSize), total: all.length, page: p }
}
