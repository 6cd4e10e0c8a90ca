import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'
import { systemActor } from '../src/audit/audit.ts'
import { applicationForm } from '../src/applications/application.ts'
import { submitApplication } from '../src/applications/intake.service.ts'
import { createAgency } from '../src/agencies/agency.service.ts'
import { testApp } from './support/app.ts'
import { creditCodeFor } from './support/build-application.ts'
import { buildStaff, signIn } from './support/builders.ts'
import { databaseKinds } from './support/test-deps.ts'

// The supervising office's overview: an agency with an overdue application and empty columns shows
// them, sorts to the top by overdue applications, and the same table exports to CSV and XLSX.

describe.each(databaseKinds)('the region overview on %s', (kind) => {
  test("shows an agency's overdue application and column health, sorts, filters and exports the table", async () => {
    const t = await testApp(kind)
    try {
      // Received 2026-01-05; 20 working days end before the test clock's 2026-03-02: overdue.
      await submitApplication(
        t.deps,
        systemActor('申请人'),
        t.officeId,
        applicationForm.parse({
          applicantKind: 'person',
          category: 'natural',
          name: '李明华',
          idType: 'resident_id',
          idNumber: '11010519491231002X',
          phone: '13912345678',
          address: '垫江县',
          infoDescription: '某项目资金明细',
          wantedForm: 'electronic',
          deliveryWay: 'online',
        }),
        { channel: 'in_person', receivedOn: '2026-01-05' },
      )
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['supervisor'] }))
      const page = await t.app.inject({
        url: '/console/region?sort=overdue&dir=desc&only=problems',
        headers: { cookie: s.cookie },
      })
      expect(page.statusCode).toBe(200)
      const row = /<tr class="overdue"><th scope="row">垫江县人民政府办公室<\/th>(.*?)<\/tr>/.exec(page.body)?.[1] ?? ''
      const cells = [...row.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1])
      // open, overdue, 补正 notices sent after 条例第三十条's 7 working days
      expect(cells.slice(0, 3)).toEqual(['1', '1', '0'])
      expect(Number(cells[5])).toBeGreaterThanOrEqual(5) // empty columns of a new agency
      expect(cells[6]).toContain('空白栏目') // a veto item is named
      const xlsx = await t.app.inject({
        url: '/console/region/export.xlsx?sort=overdue&dir=desc',
        headers: { cookie: s.cookie },
      })
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
      const sheet = wb.worksheets[0]!
      expect(sheet.getRow(1).getCell(3).value).toBe('逾期申请')
      expect(sheet.getRow(2).getCell(1).value).toBe('垫江县人民政府办公室')
      expect(sheet.getRow(2).getCell(3).value).toBe(1)
      const csv = await t.app.inject({ url: '/console/region/export.csv', headers: { cookie: s.cookie } })
      expect(csv.body).toContain('机关,办理中申请,逾期申请,逾期发出补正通知')
      // The region's other tables export too.
      expect(
        (await t.app.inject({ url: '/console/region/applications?format=csv', headers: { cookie: s.cookie } })).body,
      ).toContain('垫江县人民政府办公室,1,1,')
      expect(
        (await t.app.inject({ url: '/console/region/columns?format=csv', headers: { cookie: s.cookie } })).body,
      ).toContain('机关,未按期更新,长期未更新,空白栏目,单项否决')
      const regionXlsx = await t.app.inject({
        url: '/console/region/reports?year=2025&download=xlsx',
        headers: { cookie: s.cookie },
      })
      expect(regionXlsx.headers['content-type']).toContain('spreadsheetml')
    } finally {
      await t.close()
    }
  })
  // 条例 art. 49: a department (the supervising office included) publishes its own report by 1月31日;
  // the government's report, the region's, is due 3月31日.
  test("the supervising office's own report is due 1月31日 and the region's report 3月31日 (条例 art. 49)", async () => {
    const t = await testApp(kind) // the clock stands at 2026-03-02
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['supervisor'] }))
      const page = await t.app.inject({ url: '/console/region', headers: { cookie: s.cookie } })
      const row = /<th scope="row">垫江县人民政府办公室<\/th>(.*?)<\/tr>/.exec(page.body)?.[1] ?? ''
      expect(row).toContain('<td>未开始</td><td>逾期（截止 2026-01-31）</td>')
      expect(page.body).toContain('本级政府2025年度政府信息公开工作年度报告应于 2026-03-31 前公开')
      // A people's government of the region (a district of a city, say) reports as a government: 3月31日.
      await createAgency(t.deps, systemActor(), {
        name: '垫江县某区人民政府',
        creditCode: creditCodeFor(9001),
        level: '县级',
        kind: '人民政府',
        parentId: null,
      })
      const again = await t.app.inject({ url: '/console/region', headers: { cookie: s.cookie } })
      expect(/<th scope="row">垫江县某区人民政府<\/th>(.*?)<\/tr>/.exec(again.body)?.[1]).toContain(
        '<td>未开始</td><td>截止 2026-03-31</td>',
      )
    } finally {
      await t.close()
    }
  })
})
