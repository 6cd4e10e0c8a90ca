import { readFileSync } from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { Document, Footer, Header, Packer, Paragraph } from 'docx'
import { describe, expect, test } from 'vitest'
import { renderReportDocument } from '../reports/render/report-html.tsx'
import { renderReportPdf } from '../reports/render/report-pdf.ts'
import { blankReport } from '../reports/report.ts'
import type { AnnualReport } from '../reports/report.ts'
import { isValidIdNumber, luhn, scanText } from './scan-rules.ts'
import { quarantines, scanItem } from './scan.ts'

// Each test makes the real file it scans.

const idNumber = '11010519491231002X'
const item = (over: Partial<Parameters<typeof scanItem>[0]> = {}) => ({
  title: '关于开展政务公开培训的通知',
  bodyHtml: '<p>各科室：定于下周开展培训。</p>',
  metadata: {},
  attachments: [],
  ...over,
})

test('ID numbers are recognised by their check digit and birth date', () => {
  expect(isValidIdNumber(idNumber)).toBe(true)
  expect(isValidIdNumber('110105194912310021')).toBe(false)
  expect(isValidIdNumber('110105194902300024')).toBe(false)
  expect(luhn('6222021234567890128')).toBe(true)
  expect(luhn('6222021234567890120')).toBe(false)
})

describe('attachments', () => {
  test('an ID number in a hidden XLSX sheet, and one in a hidden row of a visible sheet, are found', async () => {
    const wb = new ExcelJS.Workbook()
    const shown = wb.addWorksheet('名单')
    shown.addRow(['姓名', '事项'])
    shown.addRow(['张三', '行政许可'])
    const hiddenRow = shown.addRow(['备注', `证件 ${idNumber}`])
    hiddenRow.hidden = true
    const secret = wb.addWorksheet('原始数据', { state: 'hidden' })
    secret.addRow(['李四', '110105194912310021', '13800138000'])
    const bytes = Buffer.from(await wb.xlsx.writeBuffer())
    const findings = await scanItem(item({ attachments: [{ name: '名单.xlsx', bytes }] }))
    expect(findings.filter((f) => f.kind === 'id_number').map((f) => f.surface)).toEqual(['attachment:名单.xlsx'])
    expect(findings.some((f) => f.kind === 'phone')).toBe(true) // from the hidden sheet
    expect(findings.every((f) => !f.masked.includes('19491231'))).toBe(true)
  })

  test('an ID number in a cell of a hidden column is found', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('表')
    ws.addRow(['事项', '备注'])
    ws.addRow(['许可', idNumber])
    ws.getColumn(2).hidden = true
    const findings = await scanItem(
      item({ attachments: [{ name: '表.xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) }] }),
    )
    expect(findings.map((f) => f.kind)).toEqual(['id_number'])
  })

  test('an ID number in a DOCX header is found', async () => {
    const doc = new Document({
      sections: [
        {
          headers: { default: new Header({ children: [new Paragraph(`经办人身份证号 ${idNumber}`)] }) },
          footers: { default: new Footer({ children: [new Paragraph('第 1 页')] }) },
          children: [new Paragraph('正文没有个人信息。')],
        },
      ],
    })
    const findings = await scanItem(item({ attachments: [{ name: '通知.docx', bytes: await Packer.toBuffer(doc) }] }))
    expect(findings.map((f) => f.kind)).toEqual(['id_number'])
  })

  test('a phone number in a PDF text layer is found', async () => {
    const report: AnnualReport = {
      ...blankReport('2021', 2024, '某局'),
      sections: { overview: '联系人手机 13912345678。', problems: null, other: null },
    }
    const findings = await scanItem(item({ attachments: [{ name: '说明.pdf', bytes: await renderReportPdf(report) }] }))
    expect(findings.map((f) => [f.kind, f.masked])).toEqual([['phone', '139****5678']])
  })

  test('an image cannot be read, so it stands as a finding for a reviewer to look at', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
    const findings = await scanItem(item({ attachments: [{ name: '照片.png', bytes: png }] }))
    expect(findings.map((f) => [f.kind, f.clearable])).toEqual([['unscannable', true]])
  })
})

test('a Luhn-valid card number beside 银行卡号 is found; an index number and a long figure are not', () => {
  const text =
    '退款至银行卡号 6222 0212 3456 7890 128，误写为 6222 0212 3456 7890 120。索引号：11500231MB15204609/2024-00001；文号 2024000012345678；本年处理决定数量 3985758。'
  const findings = scanText(text, 'body')
  expect(findings.map((f) => [f.kind, f.masked])).toEqual([['bank_card', '622**************** 128']])
})

// Published Luhn-valid test card numbers (Visa, Mastercard, UnionPay 16 and 19 digits; the last two
// from Stripe's test-card list), not computed by the code under test.
const validCards = [
  '4111111111111111',
  '5555555555554444',
  '6200000000000005',
  '6205500000000000004',
  '6222021234567890128',
]

/** The same number with its check digit replaced by each of the nine other digits: each fails Luhn. */
const wrongCheckDigits = (card: string) =>
  '0123456789'
    .split('')
    .filter((d) => d !== card.at(-1))
    .map((d) => card.slice(0, -1) + d)

test('a card number beside 银行卡号 is flagged only when its Luhn check digit is right', () => {
  for (const card of validCards) {
    const flagged = (n: string) => scanText(`请将款项退至申请人银行卡号：${n}。`, 'body').map((f) => f.kind)
    expect(flagged(card), card).toEqual(['bank_card'])
    for (const wrong of wrongCheckDigits(card)) expect(flagged(wrong), wrong).toEqual([])
    // One digit inside the number changed by one also breaks the check.
    const inner = card.slice(0, 6) + String((Number(card[6]) + 1) % 10) + card.slice(7)
    expect(flagged(inner), inner).toEqual([])
  }
})

test('a secret marking quarantines the item and cannot be cleared', async () => {
  const findings = await scanItem(item({ bodyHtml: '<p>机密★1年</p><p>关于某事项的请示</p>' }))
  expect(findings.map((f) => [f.kind, f.clearable])).toEqual([['secret_marking', false]])
  expect(quarantines(findings)).toBe(true)
})

test('内部资料 standing as a marking is found; the same words inside a sentence are not', () => {
  expect(scanText('内部资料\n注意保存\n全文如下', 'body').map((f) => f.kind)).toEqual(['restriction_mark'])
  expect(scanText('【内部】会议纪要', 'title').map((f) => f.kind)).toEqual(['restriction_mark'])
  expect(scanText('依法不予公开的信息一律不予公开，内部资料的管理另有规定。', 'body')).toEqual([])
})

test("a known applicant's name with their phone echoed in an item is found", async () => {
  const findings = await scanItem(item({ bodyHtml: '<p>经核实，王小明（电话 139 1234 5678）反映的问题已处理。</p>' }), [
    { name: '王小明', phone: '13912345678', idNumber: null, address: '垫江县桂溪街道1号' },
  ])
  expect(findings.filter((f) => f.kind === 'known_person').map((f) => f.masked)).toEqual(
    expect.arrayContaining(['139****5678', '***']),
  )
})

test('an annual report page raises nothing, though its tables say 不予公开 and hold large figures', async () => {
  const huaian = JSON.parse(
    readFileSync(path.resolve('test/fixtures/reports/huaian-2024.expected.json'), 'utf8'),
  ) as AnnualReport
  const report = {
    ...huaian,
    sections: {
      overview: '2024年，全市共受理政府信息公开申请3119件。',
      problems: '无。',
      other: '全年收取信息处理费3940元。',
    },
    missing: [],
  }
  expect(
    await scanItem(
      item({ title: '淮安市人民政府2024年政府信息公开工作年度报告', bodyHtml: renderReportDocument(report) }),
    ),
  ).toEqual([])
  const dianjiang = readFileSync(path.resolve('test/fixtures/reports/dianjiang-justice-2020.txt'), 'utf8')
  expect(scanText(dianjiang, 'body')).toEqual([])
})

test('where a finding stands is said in Chinese', async () => {
  const { surfaceLabel } = await import('./scan-rules.ts')
  expect(['title', 'body', 'metadata.文号', 'attachment:名单.xlsx'].map(surfaceLabel)).toEqual([
    '名称',
    '正文',
    '文号',
    '附件“名单.xlsx”',
  ])
})
