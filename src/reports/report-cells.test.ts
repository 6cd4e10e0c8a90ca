import { describe, expect, test } from 'vitest'
import { cellLabel } from './report-cells.ts'
import { formats } from './report-format.ts'

// Issue #12: a page names a cell by its row and column, never by its interchange key.

describe('cell names', () => {
  test('every cell of both formats is named in Chinese, without its key', () => {
    for (const id of ['2019', '2021'] as const) {
      const f = formats[id]
      const refs = [
        ...f.applicationRows.map((r) => `applications.${r.code}[6]`),
        ...f.article20.flatMap((b) => b.rows.flatMap((r) => r.columns.map((c) => `article20.${r.key}.${c.key}`))),
        'appeals.reconsideration[4]',
        'appeals.litigationAfterReconsideration[0]',
      ]
      for (const ref of refs) {
        const label = cellLabel(id, ref)
        expect(label, ref).not.toMatch(/[A-Za-z]|未知/)
      }
    }
    expect(cellLabel('2021', 'appeals.reconsideration[4]')).toBe('行政复议 · 总计')
  })
})
