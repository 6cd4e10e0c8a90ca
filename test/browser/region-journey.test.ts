import ExcelJS from 'exceljs'
import type { FastifyInstance } from 'fastify'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { systemActor } from '../../src/audit/audit.ts'
import { importItems } from '../../src/disclosures/item-import.ts'
import { computeReport } from '../../src/reports/report-compute.ts'
import { recordsOf } from '../../src/reports/report.service.ts'
import { insertReport } from '../../src/reports/report.store.ts'
import { applicationForm } from '../../src/applications/application.ts'
import { decideApplication } from '../../src/applications/decision.service.ts'
import { submitApplication } from '../../src/applications/intake.service.ts'
import { axeViolations, launchBrowser, screenshot, serveApp } from '../support/browser.ts'
import { buildStaff, setUpRegion } from '../support/builders.ts'
import type { StaffAccount } from '../support/builders.ts'
import { testEnv } from '../support/test-deps.ts'
import type { TestEnv } from '../support/test-deps.ts'

// The supervising office sees an overdue application and a stale column of one agency, opens the
// region's report, drills down to the agency's cell and the records behind it, and exports the
// overview to XLSX.

let browser: Browser
let t: TestEnv
let app: FastifyInstance
let base: string
let supervisor: StaffAccount
let counted: string
beforeAll(async () => {
  browser = await launchBrowser()
  t = await testEnv('sqlite', '2026-03-02T02:00:00Z')
  const { officeId } = await setUpRegion(t.deps)
  const handler = await buildStaff(t.deps, { roles: ['handler'] })
  supervisor = await buildStaff(t.deps, { roles: ['supervisor'] })
  const staff = { ...systemActor('承办人'), id: handler.id, agencyId: officeId, roles: ['handler'] }
  const input = (d: string) =>
    applicationForm.parse({
      applicantKind: 'person',
      category: 'natural',
      name: '李明华',
      idType: 'resident_id',
      idNumber: '11010519491231002X',
      phone: '13912345678',
      address: '垫江县',
      infoDescription: d,
      wantedForm: 'electronic',
      deliveryWay: 'online',
    })
  // Answered in 2025 (counted in the 2025 report), and one received in January 2026, now overdue.
  const answered = await submitApplication(t.deps, systemActor('申请人'), officeId, input('2025年道路养护合同'), {
    channel: 'in_person',
    receivedOn: '2025-12-01',
  })
  await decideApplication(t.deps, staff, answered.id, {
    on: '2025-12-20',
    outcome: 'GRANTED',
    replyType: '2',
    basis: '',
  })
  counted = answered.number
  await submitApplication(t.deps, systemActor('申请人'), officeId, input('2026年学校维修预算'), {
    channel: 'in_person',
    receivedOn: '2026-01-05',
  })
  // The news column was last updated on 10 January: more than two weeks ago.
  await importItems(t.deps, systemActor(), officeId, [
    {
      line: 2,
      value: {
        column: '部门动态',
        title: '县政府办公室召开年度工作会议',
        publishedAt: '2026-01-10',
        body: '会议部署了全年工作。',
      },
    },
  ])
  // The office's 2025 report, computed from its records and published.
  const { report } = computeReport(await recordsOf(t.deps, officeId, 2025), {
    year: 2025,
    format: '2021',
    agency: '垫江县人民政府办公室',
  })
  await insertReport(t.deps.db, {
    agency_id: officeId,
    year: 2025,
    format: '2021',
    source: 'computed',
    status: 'published',
    version: 1,
    source_name: null,
    override_reason: null,
    supersedes_id: null,
    created_at: '2026-01-20T00:00:00Z',
    created_by: null,
    updated_at: '2026-01-20T00:00:00Z',
    published_at: '2026-01-20T00:00:00Z',
    published_by: null,
    report,
  })
  const served = await serveApp(t.deps)
  app = served.app
  base = served.base
})
afterAll(async () => {
  await browser?.close()
  await app?.close()
  await t?.close()
})

test('overdue application and stale column → region report → agency cell → its records → XLSX export', async () => {
  const context = await browser.newContext({ bypassCSP: true, acceptDownloads: true })
  const page = await context.newPage()
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(supervisor.username)
  await page.getByLabel('密码').fill(supervisor.password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.goto(`${base}/console/region`)
  const row = page.getByRole('row', { name: /垫江县人民政府办公室/ })
  const cells = await row.getByRole('cell').allTextContents()
  expect(cells.slice(0, 4)).toEqual(['1', '1', '0', '1']) // open, overdue, late 补正 notices (条例第三十条), stale
  expect(await axeViolations(page)).toEqual([])
  await screenshot(page, 'region-1-overview')

  await page.getByRole('main').getByRole('link', { name: '区域年报汇总' }).click()
  await page.locator('a[href*="applications.NEW%5B6%5D"]').first().click()
  await expect(page.locator('#region-total').textContent()).resolves.toBe('1')
  await page.getByRole('link', { name: /查看垫江县人民政府办公室计入的记录/ }).click()
  await expect(page.locator('#agency-value').textContent()).resolves.toBe('1')
  await expect(page.getByRole('cell', { name: counted }).count()).resolves.toBe(1)
  expect(await axeViolations(page)).toEqual([])
  await screenshot(page, 'region-2-records')

  // The region's dashboard: charts as images with their data tables, accessible.
  await page.goto(`${base}/console/region/dashboard`)
  await expect(page.getByRole('table', { name: /各月办结的申请/ }).count()).resolves.toBe(1)
  expect(await axeViolations(page)).toEqual([])
  await screenshot(page, 'region-3-dashboard')

  await page.goto(`${base}/console/region`)
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '导出 XLSX' }).click(),
  ])
  const chunks: Buffer[] = []
  for await (const c of await download.createReadStream()) chunks.push(c as Buffer)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer)
  const sheet = wb.worksheets[0]!
  const data = sheet.getRow(2).values as unknown[]
  // 机关, open, overdue, late 补正 notices (条例第三十条), stale
  expect([data[1], data[2], data[3], data[4], data[5]]).toEqual(['垫江县人民政府办公室', 1, 1, 0, 1])
  await context.close()
}, 120_000)
