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

// 以上/以内 include the number itself (民法典 art. 1259): "2周以上无更新" is 14 days or more, measured
// between instants, never in rounded days.
test('a 动态 column not updated for 14 days 12 hours is stale (民法典 art. 1259: 以上 includes 14 days)', () => {
  const r = columnHealth(
    [
      col(1, 'news', '2026-06-15T14:00:00Z'),
      col(2, 'news', '2026-06-16T02:00:01Z'),
      col(3, 'news', '2026-06-16T02:00:00Z'),
    ],
    now,
  )
  expect(r.columns.map((c) => c.state)).toEqual(['stale', 'ok', 'stale'])
})

// "6个月" is counted in calendar months (民法典 art. 202: the corresponding day of the month, or the
// month's last day), not as 183 days; and it includes the sixth month itself (art. 1259).
test('a 通知公告 column last updated exactly six calendar months ago is stale (民法典 arts. 202, 1259)', () => {
  const r = columnHealth(
    [
      col(1, 'notice', '2025-12-30T02:00:00Z'),
      col(2, 'notice', '2025-12-30T02:00:01Z'),
      // 2025-12-31 + 6 months has no 31 June: the period ends on 30 June, Beijing time (art. 202).
      col(3, 'policy', '2025-12-31T02:00:00Z'),
    ],
    now,
  )
  expect(r.columns.map((c) => c.state)).toEqual(['stale', 'ok', 'stale'])
})

test('a column not updated for exactly one calendar year counts as long unupdated (民法典 art. 1259)', () => {
  const r = columnHealth([col(1, 'other', '2025-06-30T02:00:00Z'), col(2, 'other', '2025-06-30T02:00:01Z')], now)
  expect(r.columns.map((c) => c.state)).toEqual(['long_stale', 'ok'])
})

test('six months are counted on the Beijing calendar: published 31 August 04:00 Beijing is stale from 28 February 04:00 (民法典 art. 202)', () => {
  // 2025-08-30T20:00Z is 31 August in Beijing; no 31 February, so the period ends on the month's last day.
  const last = col(1, 'notice', '2025-08-30T20:00:00Z')
  expect(columnHealth([last], new Date('2026-02-27T19:59:59Z')).columns[0]!.state).toBe('ok')
  expect(columnHealth([last], new Date('2026-02-27T20:00:00Z')).columns[0]!.state).toBe('stale')
})
