import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { importReport, importReportFile } from '../src/reports/import/read-file.ts'
import { annualReportSchema } from '../src/reports/report.ts'
import type { AnnualReport } from '../src/reports/report.ts'
import { gongkai } from './support/cli.ts'
import { flatten } from './support/report-text.ts'
import type { Style } from './support/report-text.ts'

const fixtures = path.resolve('test/fixtures/reports')
const shared = path.resolve('../shared/examples')
const sharedPresent = existsSync(path.join(shared, 'huaian-2024.pdf'))
const expectedOf = (name: string) =>
  JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as Record<string, unknown>

/** Every key the expected file holds has the same value in the import (report-interchange.md). */
function expectToHold(actual: unknown, expected: unknown, at = '') {
  if (expected !== null && typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected))
      expectToHold((actual as Record<string, unknown>)?.[k], v, `${at}.${k}`)
  } else expect(actual, at).toEqual(expected)
}

const huaian = () =>
  annualReportSchema.parse({
    sections: { overview: null, problems: null, other: null },
    missing: [],
    ...expectedOf('huaian-2024.expected.json'),
  }) as AnnualReport

test("gongkai report import reads the Dianjiang justice bureau's 2020 report exactly", async () => {
  const r = await gongkai(['report', 'import', path.join(fixtures, 'dianjiang-justice-2020.txt')], {
    DATA_DIR: '/nonexistent',
  })
  expect(r.code, r.stderr).toBe(0)
  const report = JSON.parse(r.stdout) as AnnualReport
  expectToHold(report, expectedOf('dianjiang-justice-2020.expected.json'))
  expect(report.missing).toEqual([])
  expect(report.sections.other).toBe('无。')
})

test('gongkai report check exits 1 on a report with a broken sum, and says where in Chinese and as JSON', async () => {
  const broken = readFileSync(path.join(fixtures, 'dianjiang-justice-2020.txt'), 'utf8').replace(
    '二、上年结转政府信息公开申请数量 |\n0 |',
    '二、上年结转政府信息公开申请数量 |\n2 |',
  )
  const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-check-'))
  try {
    const file = path.join(dir, 'broken.txt')
    writeFileSync(file, broken)
    const r = await gongkai(['report', 'check', file], { DATA_DIR: '/nonexistent' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('[错误] R1（自然人列）')
    expect(r.stdout).toContain('[错误] R2（上年结转行）')
    const j = await gongkai(['report', 'check', '--json', file], { DATA_DIR: '/nonexistent' })
    expect(j.code).toBe(1)
    const result = JSON.parse(j.stdout) as { findings: { rule: string; left: { cell: string }[] }[] }
    expect(result.findings.map((f) => f.rule).sort()).toEqual(['R1', 'R2'])
    expect(
      result.findings.every((f) =>
        f.left
          .concat((f as unknown as { right: { cell: string }[] }).right)
          .some((c) => c.cell === 'applications.CARRIED_IN[0]'),
      ),
    ).toBe(true)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('gongkai report check passes the Dianjiang report and exits 2 on an unreadable file', async () => {
  const ok = await gongkai(['report', 'check', path.join(fixtures, 'dianjiang-justice-2020.txt')], {
    DATA_DIR: '/nonexistent',
  })
  expect(ok.code).toBe(0)
  expect(ok.stdout).toContain('未发现问题')
  const missing = await gongkai(['report', 'check', path.join(fixtures, 'no-such-report.txt')], {
    DATA_DIR: '/nonexistent',
  })
  expect(missing.code).toBe(2)
  expect(missing.stderr).toContain('无法读取')
})

describe('published documents in ../shared/examples', () => {
  test.skipIf(!sharedPresent)(
    'huaian-2024.pdf imports as its expected JSON (skipped when ../shared/examples is absent)',
    async () => {
      const report = await importReportFile(path.join(shared, 'huaian-2024.pdf'))
      expectToHold(report, expectedOf('huaian-2024.expected.json'))
      expect(report.missing).toEqual([])
    },
  )

  test.skipIf(!sharedPresent)(
    'the official 2021 Word template imports as a 2021 report with every cell blank (skipped when ../shared/examples is absent)',
    async () => {
      const report = await importReportFile(path.join(shared, 'report-template-2021.docx'))
      expect(report.format).toBe('2021')
      expect(report.missing).toEqual([])
      const cells = [
        ...Object.values(report.article20).flatMap((r) => Object.values(r)),
        ...Object.values(report.applications.rows).flat(),
        ...Object.values(report.appeals).flat(),
      ]
      expect(cells.length).toBe(10 + 25 * 7 + 15)
      expect(cells.every((c) => c === null)).toBe(true)
    },
  )
})

describe.each<Style>(['pipes', 'spaces', 'tabs', 'broken-labels', 'traditional'])(
  'a report flattened with %s',
  (style) => {
    test('imports back cell for cell', async () => {
      const original = huaian()
      const text = flatten(original, style, { title: '淮安市人民政府2024年政府信息公开工作年度报告' })
      const report = await importReport(Buffer.from(text), 'report.txt')
      expect(report.format).toBe('2021')
      expect(report.year).toBe(2024)
      expect(report.agency).toBe('淮安市人民政府')
      expect(report.article20).toEqual(original.article20)
      expect(report.applications.rows).toEqual(original.applications.rows)
      expect(report.appeals).toEqual(original.appeals)
      expect(report.missing).toEqual([])
    })
  },
)

test('blank cells come back null, never 0', async () => {
  const original = huaian()
  original.applications.rows.NP_MASSIVE = [null, null, null, null, null, null, null]
  original.applications.rows.DENY_SECRET = [2, 0, null, 0, 0, 0, 2]
  original.applications.rows.OTHER_NO_FEE = [6, 0, 0, 0, 0, 0, null]
  original.article20.fees = { amountWan: null }
  for (const style of ['pipes', 'tabs', 'spaces', 'broken-labels', 'traditional'] as const) {
    const report = await importReport(Buffer.from(flatten(original, style)), 'r.txt')
    expect(report.applications.rows.NP_MASSIVE, style).toEqual([null, null, null, null, null, null, null])
    expect(report.applications.rows.DENY_SECRET, style).toEqual([2, 0, null, 0, 0, 0, 2])
    expect(report.article20.fees, style).toEqual({ amountWan: null })
    expect(report.applications.rows.OTHER_NO_FEE, style).toEqual([6, 0, 0, 0, 0, 0, null])
    expect(report.applications.rows.OTHER_OTHER, style).toEqual(original.applications.rows.OTHER_OTHER)
  }
})

test('a report cut off part-way lists what is missing and reads what is there', async () => {
  const original = huaian()
  const report = await importReport(Buffer.from(flatten(original, 'spaces', { cutAfter: 'DENY_PROCESS' })), 'cut.txt')
  expect(report.applications.rows.DENY_PROCESS).toEqual(original.applications.rows.DENY_PROCESS)
  expect(report.applications.rows.TOTAL).toBeUndefined()
  expect(report.missing).toContain('applications.TOTAL')
  expect(report.missing).toContain('applications.CARRIED_OUT')
  expect(report.missing).toContain('appeals')
})

test('a page cut off right after a row label does not turn that row into blanks', async () => {
  const original = huaian()
  const text = flatten(original, 'spaces', { cutAfter: 'DENY_PROCESS' }) + '\n7.属于行政执法案卷'
  const report = await importReport(Buffer.from(text), 'cut.txt')
  expect(report.applications.rows.DENY_ENFORCEMENT_FILE).toBeUndefined()
  expect(report.missing).toContain('applications.DENY_ENFORCEMENT_FILE')
})

test('digits run together are split only where exactly one split satisfies the row total', async () => {
  const original = huaian()
  const text = flatten(original, 'spaces')
    .replace(/3\.危及“三安全一稳定” 5 0 0 0 0 0 5/, '3.危及“三安全一稳定” 50000 0 5')
    .replace(/1\.本机关不掌握相关政府信息 746 12 0 0 10 1 769/, '1.本机关不掌握相关政府信息 74612 0 0 101 769')
  const report = await importReport(Buffer.from(text), 'run.txt')
  expect(report.applications.rows.DENY_SECURITY).toEqual([5, 0, 0, 0, 0, 0, 5])
  // 74612 and 101 cut into 746/12 and 10/1 is the only reading whose cells add up to 769.
  expect(report.applications.rows.UNABLE_NOT_HELD).toEqual([746, 12, 0, 0, 10, 1, 769])
  // 1111 cut into three cells reads 1|1|11, 1|11|1 or 11|1|1, and each adds up to 13: left unread, never guessed.
  const twoReadings = flatten(original, 'spaces').replace(/2\.重复申请 25 0 0 0 0 0 25/, '2.重复申请 1111 0 0 0 13')
  const second = await importReport(Buffer.from(twoReadings), 'run2.txt')
  expect(second.applications.rows.NP_REPEAT).toBeUndefined()
  expect(second.ambiguous).toContain('applications.NP_REPEAT')
  expect(second.missing).toContain('applications.NP_REPEAT')
})

test('an HTML page with rowspans, entities and site furniture around the report imports', async () => {
  const original = huaian()
  const rows = Object.entries(original.applications.rows)
  const html = `<!doctype html><html><head><title>淮安市人民政府2024年政府信息公开工作年度报告</title><script>var x = 1;</script></head><body>
    <nav>首页 &gt; 政府信息公开 &gt; 年报 1 2 3</nav>
    <h1>淮安市人民政府2024年政府信息公开工作年度报告</h1>
    <p>一、总体情况</p><p>2024年，全市共受理申请3119件。</p>
    <p>三、收到和处理政府信息公开申请情况</p>
    <table><tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
    <tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
    <tr><td>商业<br/>企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
    ${rows.map(([code, cells]) => `<tr><td colspan="3">${code === 'DENY_SECURITY' ? '3.危及&ldquo;三安全一稳定&rdquo;' : labelOf(code)}</td>${cells.map((c) => `<td>${c ?? '&nbsp;'}</td>`).join('')}</tr>`).join('\n')}
    </table>
    <p>四、政府信息公开行政复议、行政诉讼情况</p>
    <table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr><tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
    <tr>${Object.values(original.appeals)
      .flat()
      .map((c) => `<td>${c}</td>`)
      .join('')}</tr></table>
    <p>五、存在的主要问题及改进情况</p><p>无。</p><footer>版权所有 2024 淮安市人民政府 电话 0517-83605210</footer></body></html>`
  const report = await importReport(Buffer.from(html), 'page.html')
  expect(report.applications.rows).toEqual(original.applications.rows)
  expect(report.appeals).toEqual(original.appeals)
  expect(report.missing).toEqual(['article20'])
  expect(report.year).toBe(2024)
})

const labelOf = (code: string) =>
  (
    ({
      NEW: '一、本年新收政府信息公开申请数量',
      CARRIED_IN: '二、上年结转政府信息公开申请数量',
      TOTAL: '（七）总计',
      CARRIED_OUT: '四、结转下年度继续办理',
    }) as Record<string, string>
  )[code] ??
  `${code === 'GRANTED' ? '（一）予以公开' : code === 'PARTIAL' ? '（二）部分公开（区分处理的，只计这一情形，不计其他情形）' : rowLabel(code)}`

function rowLabel(code: string): string {
  const labels: Record<string, string> = {
    DENY_SECRET: '1.属于国家秘密',
    DENY_LAW: '2.其他法律行政法规禁止公开',
    DENY_THIRD_PARTY: '4.保护第三方合法权益',
    DENY_INTERNAL: '5.属于三类内部事务信息',
    DENY_PROCESS: '6.属于四类过程性信息',
    DENY_ENFORCEMENT_FILE: '7.属于行政执法案卷',
    DENY_QUERY: '8.属于行政查询事项',
    UNABLE_NOT_HELD: '1.本机关不掌握相关政府信息',
    UNABLE_NEEDS_CREATION: '2.没有现成信息需要另行制作',
    UNABLE_UNCLEAR: '3.补正后申请内容仍不明确',
    NP_PETITION: '1.信访举报投诉类申请',
    NP_REPEAT: '2.重复申请',
    NP_PUBLICATION: '3.要求提供公开出版物',
    NP_MASSIVE: '4.无正当理由大量反复申请',
    NP_CONFIRM: '5.要求行政机关确认或重新出具已获取信息',
    OTHER_NO_CORRECTION: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    OTHER_NO_FEE: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    OTHER_OTHER: '3.其他',
  }
  return labels[code] ?? code
}
