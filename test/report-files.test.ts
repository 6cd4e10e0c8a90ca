import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, describe, expect, test } from 'vitest'
import { parseReport } from '../src/reports/import/parse-report.ts'
import { importReport } from '../src/reports/import/read-file.ts'
import { tokenizePdfLine } from '../src/reports/import/read-pdf.ts'
import type { Token } from '../src/reports/import/tokens.ts'
import { gongkai } from './support/cli.ts'

// Files as agencies send them (issue #13): legacy Office and WPS files refused by name with what
// to do, never read as an empty report; a folder's files all accounted for, consecutive years
// compared; XLSX totals kept as SUM formulas; PDF text set digit by digit.

const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const glued = readFileSync(path.resolve('test/fixtures/reports/glued-2023.txt'), 'utf8')
const noData = { DATA_DIR: '/nonexistent' }

/** The first bytes of an OLE compound file: what .doc, .xls, .et and .wps files are. */
const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)])

describe('legacy Office and WPS files', () => {
  test.each([
    ['report.doc', 'Word 97-2003 文档（.doc）'],
    ['report.xls', 'Excel 97-2003 工作簿（.xls）'],
    ['report.et', 'WPS 表格文件（.et）'],
    ['report.wps', 'WPS 文字文件（.wps）'],
  ])('%s is refused with exit 2, naming the format and what to do', async (name, format) => {
    const file = path.join(dir, name)
    writeFileSync(file, ole)
    for (const sub of ['check', 'import']) {
      const r = await gongkai(['report', sub, file], noData)
      expect(r.code, sub).toBe(2)
      expect(r.stderr).toContain(format)
      expect(r.stderr).toContain('另存为 DOCX、XLSX 或 PDF')
      expect(r.stdout).not.toContain('未发现问题')
    }
  })

  test('an .xls that is really a web page holding the table is read as the page it is', async () => {
    const page = `<html><body><p>某某县自然资源局2023年政府信息公开工作年度报告</p>${glued
      .split('\n')
      .map((l) => `<p>${l}</p>`)
      .join('')}</body></html>`
    const report = await importReport(Buffer.from(page), 'report.xls')
    expect(report.applications.rows.TOTAL).toEqual([38, 2, 0, 0, 1, 0, 41])
  })

  test('a file holding no report tables is refused, not taken for an empty report', async () => {
    await expect(importReport(Buffer.from('会议纪要\n今天讨论了三件事。'), 'notes.txt')).rejects.toThrow(
      /没有找到年度报告的表格/,
    )
  })
})

describe('files holding more than one report', () => {
  test('two reports one after another (a compilation) are refused, never merged', async () => {
    await expect(importReport(Buffer.from(`${glued}\n${glued.replaceAll('2023', '2024')}`), 'all.txt')).rejects.toThrow(
      /2 份年报的表格.*分别导入/,
    )
  })

  test('a narrative that names the table rows is still one report', async () => {
    const told = glued.replace(
      '2023年，本局共收到政府信息公开申请44件。',
      '2023年，本年新收政府信息公开申请数量44件，上年结转政府信息公开申请数量3件，结转下年度继续办理6件。',
    )
    const report = await importReport(Buffer.from(told), 'report.txt')
    expect(report.applications.rows.CARRIED_OUT).toEqual([6, 0, 0, 0, 0, 0, 6])
  })
})

describe('report check on a folder', () => {
  test('accounts for every file, refusing the unreadable by name, and compares one agency’s consecutive years', async () => {
    const folder = mkdtempSync(path.join(dir, 'folder-'))
    writeFileSync(path.join(folder, 'a-2023.txt'), glued)
    // The 2024 report carries in 5 applications where 2023 carried out 6: X1 says so.
    const next = glued
      .replaceAll('2023', '2024')
      .replace('二、上年结转政府信息公开申请数量3000003', '二、上年结转政府信息公开申请数量5000005')
      .replace('一、本年新收政府信息公开申请数量412001044', '一、本年新收政府信息公开申请数量392001042')
    writeFileSync(path.join(folder, 'b-2024.txt'), next)
    writeFileSync(path.join(folder, 'c-old.xls'), ole)
    writeFileSync(path.join(folder, 'd-scan.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const r = await gongkai(['report', 'check', folder], noData)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('c-old.xls')
    expect(r.stderr).toContain('Excel 97-2003 工作簿（.xls）')
    expect(r.stderr).toContain('d-scan.png')
    expect(r.stdout).toContain('a-2023.txt')
    expect(r.stdout).toMatch(/\[提示\] X1（自然人列）：本年上年结转 5，不等于 上年报告结转下年度 6/)
    expect(r.stdout).toContain(`已与上一年度报告 ${path.join(folder, 'a-2023.txt')} 比对`)
    const j = await gongkai(['report', 'check', '--json', folder], noData)
    const lines = j.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; previous?: string; error?: string })
    expect(lines.find((l) => l.file.endsWith('b-2024.txt'))?.previous).toBe(path.join(folder, 'a-2023.txt'))
    expect(lines.filter((l) => l.error).map((l) => path.basename(l.file))).toEqual(['c-old.xls', 'd-scan.png'])
  })
})

test('an XLSX whose 总计 column is =SUM() keeps the totals cached as 0', async () => {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('年报')
  const lines = [
    ['某某镇人民政府2023年政府信息公开工作年度报告'],
    ['三、收到和处理政府信息公开申请情况'],
    ['', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'],
    ['一、本年新收政府信息公开申请数量', 2, 0, 0, 0, 0, 0],
    ['二、上年结转政府信息公开申请数量', 0, 0, '0', 0, 0, 0],
  ]
  lines.forEach((cells, i) => {
    const row = ws.getRow(i + 1)
    cells.forEach((c, k) => {
      row.getCell(k + 1).value = c
    })
    if (i >= 3) row.getCell(8).value = { formula: `SUM(B${i + 1}:G${i + 1})`, result: i === 3 ? 2 : 0 }
  })
  ws.getRow(6).getCell(1).value = '四、政府信息公开行政复议、行政诉讼情况'
  const report = await importReport(Buffer.from(await wb.xlsx.writeBuffer()), 'report.xlsx')
  expect(report.applications.rows.NEW).toEqual([2, 0, 0, 0, 0, 0, 2])
  // ExcelJS drops a cached 0: read from the sheet itself, it is 0, not a blank.
  expect(report.applications.rows.CARRIED_IN).toEqual([0, 0, 0, 0, 0, 0, 0])
})

describe('PDF text as WPS and Word set it', () => {
  /** One line of PDF items, each character its own item when `each` is set, at 12pt. */
  const line = (y: number, pieces: [number, string][]) => pieces.map(([x, s]) => ({ x, y, s, h: 12, w: s.length * 6 }))

  test('a year set as "2 0 2 4 年" or "2024 年" is the report’s year, not a table value', () => {
    const tokens: Token[] = []
    tokenizePdfLine(
      line(800, [
        [100, '某某区人民政府'],
        [184, '2'],
        [190, '0'],
        [196, '2'],
        [202, '4'],
        [214, '年政府信息公开工作年度报告'],
      ]),
      tokens,
    )
    tokenizePdfLine(line(780, [[60, '本报告所列数据统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。']]), tokens)
    tokenizePdfLine(line(760, [[60, '三、收到和处理政府信息公开申请情况']]), tokens)
    expect(tokens.filter((t) => t.t === 'value')).toEqual([])
    const report = parseReport(tokens)
    expect(report.year).toBe(2024)
    expect(report.agency).toBe('某某区人民政府')
  })

  test('a table whose organisation columns are blank in every row is placed by its header words', () => {
    const tokens: Token[] = []
    tokenizePdfLine(line(800, [[60, '某某局2023年政府信息公开工作年度报告']]), tokens)
    tokenizePdfLine(line(780, [[60, '三、收到和处理政府信息公开申请情况']]), tokens)
    // Letter-spaced header words, flush left in their cells, as Chromium prints a Word-made page.
    tokenizePdfLine(
      line(760, [
        [289, '自 然'],
        [325, '商业'],
        [363, '科研'],
        [400, '社 会 公'],
        [444, '法 律'],
        [483, '其他'],
        [519, '总计'],
      ]),
      tokens,
    )
    tokenizePdfLine(
      line(740, [
        [36, '一、本年新收政府信息公开申请数量'],
        [289, '26'],
        [519, '26'],
      ]),
      tokens,
    )
    tokenizePdfLine(
      line(720, [
        [36, '二、上年结转政府信息公开申请数量'],
        [289, '0'],
        [519, '0'],
      ]),
      tokens,
    )
    tokenizePdfLine(line(700, [[36, '四、政府信息公开行政复议、行政诉讼情况']]), tokens)
    const report = parseReport(tokens)
    expect(report.applications.rows.NEW).toEqual([26, null, null, null, null, null, 26])
    expect(report.applications.rows.CARRIED_IN).toEqual([0, null, null, null, null, null, 0])
  })
})
