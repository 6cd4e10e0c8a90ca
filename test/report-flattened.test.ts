import { readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { importReport } from '../src/reports/import/read-file.ts'
import { tokenizeText } from '../src/reports/import/tokens.ts'
import { checkReport, hasErrors } from '../src/reports/report-checks.ts'
import { appealGroups } from '../src/reports/report-format.ts'
import type { AnnualReport, Cell } from '../src/reports/report.ts'
import { arbitraryReport } from './support/report-arbitrary.ts'
import { flatten } from './support/report-text.ts'
import type { Style } from './support/report-text.ts'

// Reports as web pages flatten them when copied or crawled (issue #13): the cells of a row run
// together with each other and with the next row's item number, totals glued to their label,
// spaces inside numbers, labels split across lines, full-width digits, dashes and slashes for
// blanks. Read as a person would: each cut of a digit run is tried against the row's own sum and
// then the table's column sums; a cut is taken only when exactly one survives; otherwise the row is
// listed as ambiguous. Never a wrong cell, never a false alarm.

const glued = readFileSync(path.resolve('test/fixtures/reports/glued-2023.txt'), 'utf8')
const read = (text: string) => importReport(Buffer.from(text), 'report.txt')

/** The section 三 table written in glued-2023.txt, cell by cell. */
const truth: Record<string, Cell[]> = {
  NEW: [41, 2, 0, 0, 1, 0, 44],
  CARRIED_IN: [3, 0, 0, 0, 0, 0, 3],
  GRANTED: [12, 1, 0, 0, 0, 0, 13],
  PARTIAL: [5, 0, 0, 0, 1, 0, 6],
  DENY_THIRD_PARTY: [2, 0, 0, 0, 0, 0, 2],
  UNABLE_NOT_HELD: [10, 1, 0, 0, 0, 0, 11],
  UNABLE_NEEDS_CREATION: [3, 0, 0, 0, 0, 0, 3],
  NP_PETITION: [4, 0, 0, 0, 0, 0, 4],
  NP_REPEAT: [1, 0, 0, 0, 0, 0, 1],
  OTHER_NO_CORRECTION: [1, 0, 0, 0, 0, 0, 1],
  TOTAL: [38, 2, 0, 0, 1, 0, 41],
  CARRIED_OUT: [6, 0, 0, 0, 0, 0, 6],
}
const zeroRows = [
  'DENY_SECRET',
  'DENY_LAW',
  'DENY_SECURITY',
  'DENY_INTERNAL',
  'DENY_PROCESS',
  'DENY_ENFORCEMENT_FILE',
  'DENY_QUERY',
  'UNABLE_UNCLEAR',
  'NP_PUBLICATION',
  'NP_MASSIVE',
  'NP_CONFIRM',
  'OTHER_NO_FEE',
  'OTHER_OTHER',
]

describe('a report whose tables were copied from a web page with every cell run together', () => {
  test('reads section 三 cell for cell, settling cuts by row and column sums, and says which checks it used', async () => {
    const report = await read(glued)
    expect(report.year).toBe(2023)
    expect(report.agency).toBe('某某县自然资源局')
    expect(report.format).toBe('2021')
    for (const [code, cells] of Object.entries(truth)) expect(report.applications.rows[code], code).toEqual(cells)
    for (const code of zeroRows) expect(report.applications.rows[code], code).toEqual([0, 0, 0, 0, 0, 0, 0])
    // "（七）总计382001041": 总计 followed by its cells, 382001041 cut as 38|2|0|0|1|0|41.
    // "…申请4000004" + "2.重复申请": the next row's item number is not a cell.
    expect(report.appeals).toEqual({
      reconsideration: [2, 1, 0, 1, 4],
      litigationDirect: [1, 0, 0, 0, 1],
      litigationAfterReconsideration: [0, 0, 0, 0, 0],
    })
    // 现行有效件数 etc. of 规范性文件 "3125" cut three ways, with no sum to choose: not guessed.
    expect(report.article20.normativeDocuments).toBeUndefined()
    expect(report.ambiguous).toEqual(['article20.normativeDocuments'])
    expect(report.article20.rules).toEqual({ issued: 0, repealed: 0, inForce: 0 })
    expect(report.article20.licensing).toEqual({ decisions: 1205 })
    expect(report.article20.fees).toEqual({ amountWan: 12.5 })
    // 121000013 also cuts as 1|2|10|0|0|0|13: only the column sums (R3) settle 予以公开.
    expect(report.relied?.R3).toContain('GRANTED')
    expect(report.relied?.R2).toContain('GRANTED')

    const result = checkReport(report)
    expect(result.findings).toEqual([])
    const r3 = result.notChecked.find((n) => n.rule === 'R3')
    expect(r3?.reason).toContain('读取时已用于拆分')
    expect(r3?.reason).toContain('予以公开')
    // R1 was not needed to read the table, so it was checked.
    expect(result.notChecked.some((n) => n.rule === 'R1')).toBe(false)
  })

  test('a digit run with two cuts that both add up, in rows whose column sums cannot tell them apart, stays unread', async () => {
    // 110000011 is 1|10|0|0|0|0|11 or 11|0|0|0|0|0|11, in two rows: either way round the columns add up.
    const text = glued
      .replace('2.其他法律行政法规禁止公开0000000', '2.其他法律行政法规禁止公开110000011')
      .replace('3.危及“三安全一稳定”0000000', '3.危及“三安全一稳定”110000011')
      .replace('（七）总计382001041', '（七）总计50120010 63')
      .replace('一、本年新收政府信息公开申请数量412001044', '一、本年新收政府信息公开申请数量53 12 0 0 1 0 66')
    const report = await read(text)
    expect(report.ambiguous).toEqual(expect.arrayContaining(['applications.DENY_LAW', 'applications.DENY_SECURITY']))
    expect(report.applications.rows.DENY_LAW).toBeUndefined()
    expect(report.applications.rows.DENY_SECURITY).toBeUndefined()
    expect(report.missing).toContain('applications.DENY_LAW')
    const result = checkReport(report)
    expect(hasErrors(result)).toBe(false)
    expect(result.notChecked.map((n) => n.rule)).toContain('R3')
  })

  test('a total printed wrong is caught, or its row is listed as unread: never read into agreement', async () => {
    for (const [from, to] of [
      ['（七）总计382001041', '（七）总计382001042'],
      ['四、结转下年度继续办理6000006', '四、结转下年度继续办理7000007'],
      ['2.重复申请1000001', '2.重复申请2000002'],
    ]) {
      const report = await read(glued.replace(from!, to!))
      const result = checkReport(report)
      const code = Object.entries(truth).find(([c]) => to!.includes(c === 'TOTAL' ? '总计' : '@'))?.[0]
      expect(hasErrors(result) || report.ambiguous?.some((a) => a.startsWith('applications.')), to).toBe(true)
      if (code) expect(report.applications.rows[code]).not.toEqual(truth[code])
    }
    // 2000002 is cut one way only and adds up; no cut of 予以公开 or 不掌握 then makes the column sums
    // hold, and every cut was tried: the table does not add up, whichever way it is read.
    const repeat = checkReport(await read(glued.replace('2.重复申请1000001', '2.重复申请2000002')))
    expect(repeat.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^R3（表格）：.*原表数字有误$/)])
  })

  test('the old single （六）其他处理 row stands for its three sub-rows and R3 is checked with it', async () => {
    // 予以公开, 不掌握 and 总计 set apart by spaces, so that no column sum is needed to read the table
    // (and none is spent vouching for a cut).
    const single = glued
      .replace('（七）总计382001041', '（七）总计 38 2 0 0 1 0 41 ')
      .replace(/（六）其他处理1\.申请人无正当理由.*?3\.其他0000000/, '（六）其他处理1000001')
      .replace('（一）予以公开121000013', '（一）予以公开 12 1 0 0 0 0 13 ')
      .replace('1.本机关不掌握相关政府信息101000011', '1.本机关不掌握相关政府信息 10 1 0 0 0 0 11 ')
    const report = await read(single)
    expect(report.applications.rows.OTHER).toEqual([1, 0, 0, 0, 0, 0, 1])
    expect(report.notItemised).toEqual(['OTHER_NO_CORRECTION', 'OTHER_NO_FEE', 'OTHER_OTHER'])
    expect(report.missing).not.toContain('applications.OTHER_NO_FEE')
    expect(checkReport(report).findings).toEqual([])
    const wrong = checkReport(await read(single.replace('（六）其他处理1000001', '（六）其他处理3000003')))
    expect(wrong.findings.filter((f) => f.rule === 'R3').map((f) => f.message)).toEqual([
      expect.stringContaining('R3（自然人列）'),
      expect.stringContaining('R3（总计列）'),
    ])
  })
})

describe('other shapes of copied text', () => {
  test('digits set apart one by one ("4 1" for 41) are joined where only one joining adds up', async () => {
    const report = await read(
      glued.replace('本年新收政府信息公开申请数量412001044', '本年新收政府信息公开申请数量 4 1  2  0  0  1  0  4 4'),
    )
    expect(report.applications.rows.NEW).toEqual([41, 2, 0, 0, 1, 0, 44])
    expect(report.relied?.R2).toContain('NEW')
  })

  test('a label split across lines, full-width digits, and dashes, slashes or 无 for blanks', async () => {
    const report = await read(
      glued
        .replace('一、本年新收政府信息公开申请数量412001044', '一、本年新收政府信息公开\n申请数量４１２—０１０４４')
        .replace('（四）无法提供', '（四）无法\n提供')
        .replace('3.补正后申请内容仍不明确0000000', '3.补正后申请内容仍不明确 / / / / / / /')
        .replace('3.要求提供公开出版物0000000', '3.要求提供公开出版物 无 无 无 无 无 无 无\n')
        .replace('1.属于国家秘密0000000', '1.属于国家秘密0—————0'),
    )
    expect(report.applications.rows.NEW).toEqual([41, 2, null, 0, 1, 0, 44])
    expect(report.applications.rows.UNABLE_UNCLEAR).toEqual([null, null, null, null, null, null, null])
    expect(report.applications.rows.NP_PUBLICATION).toEqual([null, null, null, null, null, null, null])
    // Five dashes between two zeros stand for five blanks, one dash each or fewer cells of two:
    // only five cells fit between the two zeros, so it is read.
    expect(report.applications.rows.DENY_SECRET).toEqual([0, null, null, null, null, null, 0])
    expect(checkReport(report).findings).toEqual([])
  })

  test('blanks marked by runs of slashes and dashes together, and a "-" run on after a label or figure', async () => {
    const report = await read(
      glued
        .replace('8.属于行政查询事项0000000', '8.属于行政查询事项—————/0')
        .replace('4.保护第三方合法权益2000002', '4.保护第三方合法权益2/—/-/2')
        .replace('5.属于三类内部事务信息0000000', '5.属于三类内部事务信息-0-0-0-'),
    )
    expect(report.applications.rows.DENY_QUERY).toEqual([null, null, null, null, null, null, 0])
    expect(report.applications.rows.DENY_THIRD_PARTY).toEqual([2, null, null, null, null, null, 2])
    expect(report.applications.rows.DENY_INTERNAL).toEqual([null, 0, null, 0, null, 0, null])
    expect(checkReport(report).findings).toEqual([])
  })

  test('a slash between figures is a blank, except in a date', () => {
    const values = (text: string) =>
      tokenizeText(text)
        .filter((t) => t.t === 'value')
        .map((t) => (t.t === 'value' ? (t.v === null ? `空${t.raw}` : t.raw) : ''))
    expect(values('7.属于行政执法案卷///4239/81')).toEqual(['空///', '4239', '空/', '81'])
    expect(values('（七）总计4-9')).toEqual(['4', '空-', '9'])
    expect(values('发布日期：2024/12/31')).not.toContain('空/')
  })

  test('a row whose only cut does not add up is listed as unread, not reported as an error', async () => {
    // 1203123: seven digits, one cut 1|2|0|3|1|2|3, which does not add up (a blank may have vanished).
    const report = await read(
      glued.replace('二、上年结转政府信息公开申请数量3000003', '二、上年结转政府信息公开申请数量1203123'),
    )
    expect(report.applications.rows.CARRIED_IN).toBeUndefined()
    expect(report.ambiguous).toContain('applications.CARRIED_IN')
    expect(hasErrors(checkReport(report))).toBe(false)
  })

  test('a row cut by its own sum, with no column sum left to vouch for it, is not trusted', async () => {
    const text = glued.replace(/（七）总计382001041四、结转下年度继续办理6000006/, '')
    const report = await read(text)
    // 412001044 cuts into 41|2|0|0|1|0|44 only by its own sum; without 总计 and 结转 R1 cannot vouch for it.
    expect(report.applications.rows.NEW).toBeUndefined()
    expect(report.ambiguous).toContain('applications.NEW')
    // 3000003 is cut one way only: it is read.
    expect(report.applications.rows.CARRIED_IN).toEqual([3, 0, 0, 0, 0, 0, 3])
  })
})

/** A consistent report: blanks only where the figure is 0, so every sum still holds. */
const consistentReport = fc
  .record({
    report: arbitraryReport(),
    blanks: fc.array(fc.nat({ max: 999 }), { maxLength: 10 }),
  })
  .map(({ report, blanks }) => {
    const codes = Object.keys(report.applications.rows)
    for (const b of blanks) {
      const cells = report.applications.rows[codes[b % codes.length]!]!
      const col = Math.floor(b / codes.length) % 7
      if (cells[col] === 0) cells[col] = null
    }
    return report
  })

/** The cells read differently from the original, except in rows the import lists as unread. */
function wrongCells(original: AnnualReport, back: AnnualReport): string[] {
  const unread = new Set([...back.missing, ...(back.ambiguous ?? [])])
  const wrong: string[] = []
  for (const [code, cells] of Object.entries(original.applications.rows)) {
    if (unread.has(`applications.${code}`) || unread.has('applications')) continue
    if (JSON.stringify(back.applications.rows[code]) !== JSON.stringify(cells)) wrong.push(`applications.${code}`)
  }
  for (const g of appealGroups) {
    if (unread.has('appeals')) continue
    if (JSON.stringify(back.appeals[g]) !== JSON.stringify(original.appeals[g])) wrong.push(`appeals.${g}`)
  }
  for (const [key, row] of Object.entries(original.article20)) {
    if (unread.has(`article20.${key}`) || unread.has('article20')) continue
    if (JSON.stringify(back.article20[key]) !== JSON.stringify(row)) wrong.push(`article20.${key}`)
  }
  return wrong
}

const flattenings: Style[] = ['glued', 'glued-fullwidth', 'digit-spaced', 'spaces', 'broken-labels', 'pipes']

describe.each(flattenings)('a random consistent report flattened %s', (style) => {
  test('imports with every cell right or listed as unread, and no false alarm', async () => {
    await fc.assert(
      fc.asyncProperty(consistentReport, async (original) => {
        const back = await read(
          flatten(original, style, { title: `${original.agency}${original.year}年政府信息公开工作年度报告` }),
        )
        expect(wrongCells(original, back)).toEqual([])
        expect(back.year).toBe(original.year)
        expect(checkReport(back).findings.filter((f) => f.rule !== 'N1')).toEqual([])
      }),
      { numRuns: 40 },
    )
  })

  test('with one cell of section 三 changed, the change is caught or its row is listed as unread', async () => {
    await fc.assert(
      fc.asyncProperty(
        consistentReport,
        fc.nat({ max: 24 }),
        fc.nat({ max: 6 }),
        fc.integer({ min: 1, max: 9 }),
        async (original, row, col, delta) => {
          const codes = Object.keys(original.applications.rows)
          const code = codes[row % codes.length]!
          const cells = original.applications.rows[code]!
          cells[col] = (cells[col] ?? 0) + delta
          const back = await read(flatten(original, style))
          const listed = [...back.missing, ...(back.ambiguous ?? [])].includes(`applications.${code}`)
          expect(hasErrors(checkReport(back)) || listed, `${code}[${col}] +${delta}`).toBe(true)
        },
      ),
      { numRuns: 40 },
    )
  })
})
