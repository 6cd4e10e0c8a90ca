import { expect, test } from 'vitest'
import { columnHealth } from './column-health.ts'
import type { ColumnStat } from './column-health.ts'

const now = new Date('2026-06-30T02:00:00Z')
const col = (id: number, cls: string, last: string | null, published = last ? 3 : 0): ColumnStat => ({
  id,
  name: `栏目${id}`,
  class: cls,
  lastPublishedAt: last,
  published,
  hasChildren: false,
})

test('动态 is stale after two weeks, 通知公告 after six months; generated columns never count', () => {
  const r = columnHealth(
    [
      col(1, 'news', '2026-06-20T00:00:00Z'),
      col(2, 'news', '2026-06-10T00:00:00Z'),
      col(3, 'notice', '2026-01-15T00:00:00Z'),
      col(4, 'notice', '2025-12-01T00:00:00Z'),
      col(5, 'guide', null),
      col(6, 'report', null),
    ],
    now,
  )
  expect(r.columns.map((c) => c.state)).toEqual(['ok', 'stale', 'ok', 'stale', 'generated', 'generated'])
  expect([r.stale, r.empty, r.veto]).toEqual([2, 0, []])
})

test('five stale, ten long-stale or five empty columns each fail the site', () => {
  const stale = columnHealth(
    Array.from({ length: 5 }, (_, i) => col(i, 'news', '2026-05-01T00:00:00Z')),
    now,
  )
  expect(stale.veto).toEqual(['应更新而未按期更新的栏目 5 个（达到 5 个即单项否决）'])
  const empty = columnHealth(
    Array.from({ length: 5 }, (_, i) => col(i, 'other', null)),
    now,
  )
  expect(empty.veto).toEqual(['空白栏目 5 个（达到 5 个即单项否决）'])
  const old = columnHealth(
    Array.from({ length: 10 }, (_, i) => col(i, 'other', '2025-01-01T00:00:00Z')),
    now,
  )
  expect(old.veto).toEqual(['长期未更新的栏目 10 个（达到 10 个即单项否决）'])
  expect(
    columnHealth(
      Array.from({ length: 4 }, (_, i) => col(i, 'other', null)),
      now,
    ).veto,
  ).toEqual([])
})
