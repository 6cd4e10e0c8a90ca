import { expect, test } from 'vitest'
import { tableCsv } from '../region/region.service.ts'
import { csvCell } from './csv.ts'

// CSV injection (issue #14): an agency named =HYPERLINK(…) was written into the region export as a
// formula that a spreadsheet would run.

test('a region export shows a formula-like agency name as text, and numbers as numbers', () => {
  const csv = tableCsv(
    ['机关', '申请数'],
    [
      ['=HYPERLINK("http://evil.example","点击")', 12],
      ['-1+1', -3],
    ],
  )
  const lines = csv.replace('\ufeff', '').trim().split('\n')
  expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil.example"",""点击"")",12`)
  expect(lines[2]).toBe(`"'-1+1",-3`)
  expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`)
  expect(csvCell('某县司法局')).toBe('某县司法局')
  expect(csvCell('某县司法局', { alwaysQuote: true })).toBe('"某县司法局"')
})
