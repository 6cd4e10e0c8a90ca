import { afterEach, describe, expect, test } from 'vitest'
import { createAgency } from '../src/agencies/agency.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { addAttachment } from '../src/disclosures/disclosure.service.ts'
import { listColumns } from '../src/disclosures/disclosure.store.ts'
import { saveGuideSettings } from '../src/disclosures/settings.service.ts'
import { publishSeedReport } from '../src/demo/demo-report.ts'
import { buildActor, buildItem } from './support/build-item.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// The public portal as a 政府信息公开 site (issue #12): what a citizen finds from the home page.

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')

describe.each(databaseKinds)('the public portal on %s', (kind) => {
  let t: TestApp | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })
  const get = async (url: string) => {
    const res = await t!.app.inject({ url })
    expect(res.statusCode, url).toBe(200)
    return res.body
  }

  test('the home page has a search box, the six entry points of a 政府信息公开 专栏, the latest items and the agencies; every entry point opens', async () => {
    t = await testApp(kind)
    await buildItem(t.deps, { title: '关于开展政务公开培训的通知', column: '通知公告' })
    const home = await get('/')
    expect(home).toMatch(/<form method="get" action="\/search" role="search"/)
    const entries = [
      ['政府信息公开指南', '/guide'],
      ['政府信息公开制度', '/rules'],
      ['法定主动公开内容', '/statutory'],
      ['主动公开目录', '/catalogue'],
      ['依申请公开', '/apply'],
      ['政府信息公开年报', '/reports'],
    ]
    for (const [label, href] of entries) {
      expect(home).toContain(`<a href="${href}"><strong>${label}</strong>`)
      const heading =
        { 主动公开目录: '政府信息公开目录', 政府信息公开年报: '政府信息公开工作年度报告' }[label!] ?? label
      expect(textOf(await get(href!))).toContain(heading)
    }
    expect(home).toContain('关于开展政务公开培训的通知')
    expect(home).toContain('查看全部 1 条主动公开信息')
    // The latest items come before the agencies.
    expect(home.indexOf('最新公开信息')).toBeLessThan(home.indexOf('公开主体'))
    expect(home).toContain(`<a href="/agencies/${t.officeId}">垫江县人民政府办公室</a>`)
  })

  test('every agency has a 政府信息公开制度 column, and the region page lists each agency’s rules', async () => {
    t = await testApp(kind)
    await createAgency(t.deps, systemActor(), {
      name: '垫江县司法局',
      creditCode: '11500231MB1530120U',
      level: '县级',
      kind: '政府部门',
      parentId: t.officeId,
    })
    await buildItem(t.deps, { title: '垫江县人民政府办公室政府信息公开保密审查制度', column: '政府信息公开制度' })
    const columns = await listColumns(t.deps.db, t.officeId)
    const rules = columns.find((c) => c.name === '政府信息公开制度')!
    expect(rules.parent_id).toBeNull()
    const page = textOf(await get('/rules'))
    expect(page).toContain('垫江县人民政府办公室')
    expect(page).toContain('垫江县司法局')
    expect(page).toContain('垫江县人民政府办公室政府信息公开保密审查制度')
    expect(await get(`/agencies/${t.officeId}`)).toContain(`<a href="/columns/${rules.id}">政府信息公开制度</a>`)
  })

  test('the item page shows the catalogue block (索引号、主题分类、发布机构、成文日期、文号、发布日期、有效性) and each attachment with its type and size', async () => {
    t = await testApp(kind)
    const { Document, Packer, Paragraph } = await import('docx')
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('工作要点全文')] }] }))
    const item = await buildItem(t.deps, {
      title: '垫江县政务公开工作要点',
      column: '政策文件',
      extra: { docNumber: '垫府办发〔2026〕3号', writtenOn: '2026-02-27', topic: '政务公开' },
      beforeSubmit: (id, drafter) => addAttachment(t!.deps, drafter, id, '工作要点.docx', docx),
    })
    const page = textOf(await get(`/items/${item.id}`))
    for (const field of [
      '索引号：11500231MB15204609/2026-00001',
      '主题分类：政务公开',
      '发布机构：垫江县人民政府办公室',
      '成文日期：2026-02-27',
      '文号：垫府办发〔2026〕3号',
      '发布日期：',
      '有效性：有效',
    ])
      expect(page).toContain(field)
    // Sizes as download links show them: KB with one decimal.
    expect(page).toContain(`工作要点.docx （DOCX，${(docx.length / 1024).toFixed(1)} KB）`)
  })

  test('a policy and its 解读 link to each other (相关解读 by 文号 or 《title》, 国办发〔2016〕80号)', async () => {
    t = await testApp(kind)
    const policy = await buildItem(t.deps, {
      title: '垫江县政务公开工作要点',
      column: '政策文件',
      extra: { docNumber: '垫府办发〔2026〕3号' },
    })
    const byNumber = await buildItem(t.deps, {
      title: '图解：2026年政务公开工作要点',
      column: '政策解读',
      body: '<p>近日，县政府办公室印发了垫府办发[2026]3号文件。</p>',
    })
    const byTitle = await buildItem(t.deps, {
      title: '《垫江县政务公开工作要点》政策解读',
      column: '政策解读',
      body: '<p>解读如下。</p>',
    })
    const unrelated = await buildItem(t.deps, { title: '关于节日值班的通知', column: '通知公告' })
    const policyPage = await get(`/items/${policy.id}`)
    expect(policyPage).toContain('相关解读')
    expect(policyPage).toContain(`href="/items/${byNumber.id}"`)
    expect(policyPage).toContain(`href="/items/${byTitle.id}"`)
    for (const interpretation of [byNumber, byTitle]) {
      const page = await get(`/items/${interpretation.id}`)
      expect(page).toContain('解读的文件')
      expect(page).toContain(`href="/items/${policy.id}"`)
    }
    expect(await get(`/items/${unrelated.id}`)).not.toContain('相关解读')
  })

  test('法定主动公开内容 lists its sub-columns with their latest items, and the region page the fifteen items of 条例第二十条', async () => {
    t = await testApp(kind)
    await buildItem(t.deps, { title: '2026年部门预算公开', column: '财政预决算' })
    const statutory = (await listColumns(t.deps.db, t.officeId)).find((c) => c.class === 'statutory')!
    const page = textOf(await get(`/columns/${statutory.id}`))
    expect(page).not.toContain('本栏目暂无信息')
    expect(page).toMatch(/财政预决算\s*2026年部门预算公开/)
    expect(page).toMatch(/公务员招考录用\s*暂无信息/)
    const region = textOf(await get('/statutory'))
    expect(region).toMatch(/（7）财政预决算\s*2026年部门预算公开/)
    expect(region).toContain('（15）其他法定主动公开信息')
  })

  test('an agency’s 政府信息公开年报 column lists its published reports', async () => {
    t = await testApp(kind)
    const publisher = await buildActor(t.deps, ['publisher'])
    const id = await publishSeedReport(t.deps, publisher, '垫江县人民政府办公室')
    const reportColumn = (await listColumns(t.deps.db, t.officeId)).find((c) => c.class === 'report')!
    expect(await get(`/agencies/${t.officeId}`)).toContain(`<a href="/columns/${reportColumn.id}">政府信息公开年报</a>`)
    const page = await get(`/columns/${reportColumn.id}`)
    expect(page).toContain(`href="/reports/${id}"`)
    expect(textOf(page)).toContain('2020年政府信息公开工作年度报告')
    expect(textOf(page)).not.toContain('本栏目暂无信息')
  })

  test('the 指南 says where and how to apply, what it costs (国办函〔2020〕109号), the time limits (条例第三十条、第三十三条), 监督和救济 with 复议前置 (行政复议法第二十三条) and the contact', async () => {
    t = await testApp(kind)
    const head = await buildActor(t.deps, ['office_head'])
    await saveGuideSettings(t.deps, head, {
      officeName: '垫江县人民政府办公室政务公开科',
      address: '垫江县桂溪街道人民东路 1 号',
      postcode: '408300',
      hours: '工作日 9:00—12:00，14:00—17:00',
      phone: '023-74680000',
      fax: '',
      email: '',
      notes: '',
    })
    const html = await get(`/agencies/${t.officeId}/guide`)
    const guide = textOf(html)
    expect(html).toContain(`href="/agencies/${t.officeId}/apply"`)
    for (const words of [
      '在线申请',
      '信函申请：填写申请后邮寄至垫江县桂溪街道人民东路 1 号（邮编 408300），垫江县人民政府办公室政务公开科收',
      '当面申请：工作时间（工作日 9:00—12:00，14:00—17:00）到垫江县桂溪街道人民东路 1 号',
      '10 件以下（含 10 件）',
      '每件 100 元',
      '30 页以下（含 30 页）',
      '每页 10 元',
      '每页 40 元',
      '20 个工作日内予以答复',
      '延长的期限最长不超过 20 个工作日',
      '7 个工作日内一次性告知申请人作出补正',
      '答复期限自收到补正的申请之日起计算',
      '行政复议机关：重庆市垫江县人民政府',
      '对不予公开决定不服的，应当先申请行政复议',
    ])
      expect(guide).toContain(words)
    expect(guide).toMatch(/联系电话\s*023-74680000/)
  })

  test('catalogue and search show their totals; search finds an item by its 索引号 or its 文号 however the year bracket is typed', async () => {
    t = await testApp(kind)
    for (let n = 1; n <= 3; n++) await buildItem(t.deps, { title: `政务公开简报第${n}期`, column: '部门动态' })
    const policy = await buildItem(t.deps, {
      title: '垫江县政务公开工作要点',
      column: '政策文件',
      extra: { docNumber: '垫府办发〔2026〕3号' },
    })
    expect(textOf(await get('/catalogue'))).toContain('共 4 条信息')
    expect(textOf(await get(`/agencies/${t.officeId}/catalogue`))).toContain('共 4 条信息')
    expect(textOf(await get('/search?q=政务公开简报'))).toContain('共找到 3 条信息')
    const byIndex = await get(`/search?q=${encodeURIComponent('11500231mb15204609/2026-00004')}`)
    expect(textOf(byIndex)).toContain('索引号或文号为')
    expect(byIndex).toContain(`href="/items/${policy.id}"`)
    for (const typed of ['垫府办发〔2026〕3号', '垫府办发[2026]3号', '垫府办发（2026）3号']) {
      const page = await get(`/search?q=${encodeURIComponent(typed)}`)
      expect(page, typed).toContain(`href="/items/${policy.id}"`)
    }
  })

  test('a search that finds nothing offers the application form (条例第二十七条); a 200-character query is cut, not refused', async () => {
    t = await testApp(kind)
    await buildItem(t.deps, { title: '政务公开简报', column: '部门动态' })
    const none = await get(`/search?q=${encodeURIComponent('不存在的文件名称')}`)
    expect(textOf(none)).toContain('没有找到包含“不存在的文件名称”的信息')
    expect(none).toContain('<a href="/apply">申请政府信息公开</a>')
    const long = `政务公开简报${'很长的搜索词'.repeat(40)}`.slice(0, 200)
    const cut = await t.app.inject({ url: `/search?q=${encodeURIComponent(long)}` })
    expect(cut.statusCode).toBe(200)
    expect(textOf(cut.body)).toContain('搜索词过长，已截取前 50 个字进行搜索')
    expect(cut.body).toContain(`value="${long.slice(0, 50)}"`)
  })
})
