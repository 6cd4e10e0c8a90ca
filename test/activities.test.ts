import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'
import { importActivities, readActivityFile } from '../src/activities/activity.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { computeReport } from '../src/reports/report-compute.ts'
import { recordsOf } from '../src/reports/report.service.ts'
import { testApp } from './support/app.ts'
import { buildStaff, signIn } from './support/builders.ts'
import { multipart } from './support/multipart.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// Article-20 activity records: an import with a bad row imports nothing and names every bad row and
// why; a good XLSX imports, and section 二 of the report changes by exactly what it held.

async function xlsx(rows: (string | number | Date)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('数据')
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

describe.each(databaseKinds)('article-20 activity records on %s', (kind) => {
  test('a CSV with bad rows imports nothing and names each row, column and reason', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await (await import('./support/builders.ts')).setUpRegion(t.deps)
      const actor = { ...systemActor(), id: 1, agencyId: officeId }
      const csv =
        '类别,决定日期,事项,件数\n行政处罚,2021-03-01,对某公司的处罚,1\n行政处罚,2021-13-01,对某人的处罚,1\n行政审批,2021-04-01,某事项,0\n'
      const rows = await readActivityFile(Buffer.from(csv), '决定.csv')
      const error = await importActivities(t.deps, actor, 'decisions', rows).catch((e: Error) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toContain('第 3 行：“决定日期”应为 YYYY-MM-DD 格式的日期')
      expect((error as Error).message).toContain(
        '第 4 行：“类别”应为 行政许可、其他对外管理服务事项、行政处罚、行政强制 之一；“件数”应为正整数',
      )
      expect(await t.deps.db.selectFrom('activity_decisions').select('id').execute()).toEqual([])
    } finally {
      await t.close()
    }
  })

  test('a good XLSX imports and section 二 counts exactly its records, in both formats', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await (await import('./support/builders.ts')).setUpRegion(t.deps)
      const actor = { ...systemActor(), id: 1, agencyId: officeId }
      const before2021 = computeReport(await recordsOf(t.deps, officeId, 2021), { year: 2021, format: '2021' }).report
        .article20
      expect(before2021.penalties!.decisions).toBe(0)
      await importActivities(
        t.deps,
        actor,
        'decisions',
        await readActivityFile(
          await xlsx([
            ['类别', '决定日期', '事项', '件数'],
            ['行政处罚', '2021-03-01', '对某公司的处罚', 1],
            ['行政许可', '2021-05-10', '律师事务所设立许可（6 月汇总）', 6],
            ['行政强制', '2020-12-31', '上一年的强制措施', 1],
          ]),
          '决定.xlsx',
        ),
      )
      await importActivities(
        t.deps,
        actor,
        'fees',
        await readActivityFile(
          await xlsx([
            ['收费日期', '收费项目', '金额（元）'],
            ['2021-06-30', '公证服务费', '12500.50'],
            ['2021-07-31', '公证服务费', '7499.50'],
          ]),
          '收费.xlsx',
        ),
      )
      await importActivities(
        t.deps,
        actor,
        'powers',
        await readActivityFile(
          await xlsx([
            ['事项类型', '事项名称', '生效日期', '失效日期'],
            ['行政许可', '律师事务所设立许可', '2019-01-01', ''],
            ['行政许可', '基层法律服务所设立许可', '2019-01-01', '2020-06-01'],
            ['行政给付', '法律援助补贴', '2020-03-01', ''],
          ]),
          '清单.xlsx',
        ),
      )
      await importActivities(
        t.deps,
        actor,
        'procurement',
        await readActivityFile(
          Buffer.from('签订日期,项目名称,金额（元）\n2020-08-15,办公设备采购,148000.00\n2020-09-01,车辆采购,296800\n'),
          '采购.csv',
        ),
      )
      const a21 = computeReport(await recordsOf(t.deps, officeId, 2021), { year: 2021, format: '2021' }).report
        .article20
      expect([a21.penalties!.decisions, a21.licensing!.decisions, a21.coercion!.decisions]).toEqual([1, 6, 0])
      expect(a21.fees!.amountWan).toBe(2) // 20,000.00 元 = 2.00 万元
      const a20 = computeReport(await recordsOf(t.deps, officeId, 2020), { year: 2020, format: '2019' }).report
        .article20
      // 2019 format: 2 licensing items valid at the end of 2019, one lapsed in 2020 (−1); one other service item added (+1).
      expect([
        a20.licensing!.previousYearItems,
        a20.licensing!.change,
        a20.otherServices!.previousYearItems,
        a20.otherServices!.change,
      ]).toEqual([2, -1, 0, 1])
      expect(a20.coercion!.decisions).toBe(1)
      expect([a20.procurement!.projects, a20.procurement!.amountWan]).toEqual([2, 44.48])
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('the activity records page on %s', (kind) => {
  test('offers a template, refuses a bad import naming the row, and takes one record from its form', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const template = await t.app.inject({
        url: '/console/activities/fees/template.csv',
        headers: { cookie: s.cookie },
      })
      expect(template.body).toContain('收费日期,收费项目,金额（元）')
      const m = multipart(
        { _csrf: s.csrf },
        { name: '收费.csv', content: Buffer.from('收费日期,收费项目,金额（元）\n2021-06-30,公证服务费,十二元\n') },
      )
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/activities/fees/import',
        headers: { cookie: s.cookie, 'content-type': m.contentType },
        payload: m.payload,
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('第 2 行：“金额（元）”应为金额（元，至多两位小数）')
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/activities/procurement',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: s.csrf,
          签订日期: '2021-02-01',
          项目名称: '档案柜采购',
          '金额（元）': '3200',
        }).toString(),
      })
      expect(ok.statusCode).toBe(303)
      const page = await t.app.inject({ url: '/console/activities', headers: { cookie: s.cookie } })
      expect(page.body).toContain('档案柜采购')
      expect(page.body).toContain('3200.00')
    } finally {
      await t.close()
    }
  })
})
