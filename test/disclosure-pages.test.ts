import { describe, expect, test } from 'vitest'
import { listColumns } from '../src/disclosures/disclosure.store.ts'
import { createItem, findOwnItem, publishItem } from '../src/disclosures/disclosure.service.ts'
import { reviewItem, submitItem } from '../src/disclosures/item-review.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const staffOf = (id: number, agencyId: number) => ({ ...systemActor('测试员'), id, agencyId })

describe.each(databaseKinds)('disclosure settings and catalogue on %s', (kind) => {
  test("the office head fills the guide; the portal's guide page is generated from it", async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const values = {
        officeName: '垫江县人民政府办公室政务公开科',
        address: '垫江县桂溪街道人民路 1 号',
        postcode: '408300',
        hours: '工作日 9:00—17:00',
        phone: '023-74512345',
        fax: '',
        email: 'bad-address',
        notes: '',
      }
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/guide',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, ...values }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('电子邮箱格式不正确')
      expect(bad.body).toContain('value="垫江县桂溪街道人民路 1 号"')
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/guide',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, ...values, email: 'gk@example.gov.cn' }),
      })
      expect(ok.statusCode).toBe(303)
      const page = await t.app.inject(`/agencies/${t.officeId}/guide`)
      expect(page.body).toContain('垫江县人民政府办公室政务公开科')
      expect(page.body).toContain('023-74512345')
      expect(page.body).toContain('20 个工作日')
    } finally {
      await t.close()
    }
  })

  test('with two review levels set by the office head, an item is approved after two signatures; the catalogue lists it', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/review-levels',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, levels: '初审\n终审', confidentialityLevel: '3' }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('不能超过审核级数')
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/review-levels',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, levels: '初审\n终审', confidentialityLevel: '2' }),
      })
      expect(ok.statusCode).toBe(303)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, t.officeId)
      const column = (await listColumns(t.deps.db, t.officeId)).find((c) => c.name === '通知公告')!.id
      const id = await createItem(t.deps, author, {
        columnId: column,
        title: '关于春节放假的通知',
        docNumber: '垫府办发〔2026〕1号',
        formedOn: '2026-02-01',
        genre: '通知',
        body: '春节放假安排如下。',
        validity: 'valid',
      })
      await submitItem(t.deps, author, id)
      for (const level of [1, 2]) {
        const r = await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: level })
        const checks =
          level === 2
            ? (['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'] as const)
            : (['political', 'legal', 'wording', 'opinionRisk'] as const)
        await reviewItem(t.deps, staffOf(r.id, t.officeId), level, id, { decision: 'approved', checks, reason: null })
      }
      expect((await findOwnItem(t.deps, author, id)).status).toBe('approved')
      const publisher = staffOf((await buildStaff(t.deps, { roles: ['publisher'] })).id, t.officeId)
      await publishItem(t.deps, publisher, id)
      const catalogue = await t.app.inject(`/agencies/${t.officeId}/catalogue?genre=${encodeURIComponent('通知')}`)
      expect(catalogue.body).toContain('垫府办发〔2026〕1号')
      expect(catalogue.body).toContain('/2026-00001')
      const other = await t.app.inject(`/agencies/${t.officeId}/catalogue?genre=${encodeURIComponent('公告')}`)
      expect(other.body).not.toContain('关于春节放假的通知')
      const found = await t.app.inject(`/search?q=${encodeURIComponent('春节')}&genre=${encodeURIComponent('通知')}`)
      expect(found.body).toContain('<mark>春节</mark>')
      const none = await t.app.inject(`/search?q=${encodeURIComponent('春节')}&genre=${encodeURIComponent('公告')}`)
      expect(none.body).toContain('没有找到')
      const region = await t.app.inject('/catalogue')
      expect(region.body).toContain('关于春节放假的通知')
      expect(region.body).toContain('垫江县人民政府办公室')
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('channels, counts and quotas on %s', (kind) => {
  test("each item counts once in its primary channel, publications per channel beside; units' monthly quotas are shown", async () => {
    const t = await testApp(kind)
    try {
      const { createUnit } = await import('../src/agencies/agency.service.ts')
      const { recordChannelPublication } = await import('../src/disclosures/disclosure.service.ts')
      const { countPublications } = await import('../src/disclosures/counts.ts')
      const head = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const added = await t.app.inject({
        method: 'POST',
        url: '/console/channels',
        headers: post(head.cookie),
        payload: form({ _csrf: head.csrf, name: '“法治垫江”微信公众号', kind: 'wechat' }),
      })
      expect(added.statusCode).toBe(303)
      const [portal, wechat] = await t.deps.db
        .selectFrom('channels')
        .selectAll()
        .where('agency_id', '=', t.officeId)
        .orderBy('id')
        .execute()
      const unit = await createUnit(t.deps, systemActor(), t.officeId, { name: '法制股', kind: '科室' })
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, t.officeId)
      const publisher = staffOf((await buildStaff(t.deps, { roles: ['publisher'] })).id, t.officeId)
      const column = (await listColumns(t.deps.db, t.officeId)).find((c) => c.name === '部门动态')!.id
      const ids: number[] = []
      for (let i = 0; i < 5; i++) {
        const id = await createItem(t.deps, author, {
          columnId: column,
          title: `动态${i}`,
          formedOn: '2026-03-01',
          body: '内容',
          validity: 'valid',
          unitId: i < 2 ? unit : undefined,
          primaryChannelId: i >= 3 ? wechat!.id : undefined,
        })
        await submitItem(t.deps, author, id)
        for (const level of [1, 2, 3]) {
          const r = await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: level })
          await reviewItem(t.deps, staffOf(r.id, t.officeId), level, id, {
            decision: 'approved',
            checks: ['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'],
            reason: null,
          })
        }
        await publishItem(t.deps, publisher, id)
        ids.push(id)
      }
      await recordChannelPublication(t.deps, publisher, ids[0]!, wechat!.id, '2026-03-02', 'https://mp.example/a')
      await expect(
        recordChannelPublication(t.deps, publisher, ids[1]!, portal!.id, '2026-03-02', null),
      ).rejects.toThrow(/门户网站以外/)
      await expect(
        recordChannelPublication(t.deps, publisher, ids[1]!, wechat!.id, '2026-12-31', null),
      ).rejects.toThrow(/发布日期/)
      const c = await countPublications(t.deps.db, t.officeId, '2026-01-01', '2026-12-31')
      expect(c.total).toBe(5)
      expect(c.byPrimaryChannel).toEqual([
        { name: '门户网站', items: 3 },
        { name: '“法治垫江”微信公众号', items: 2 },
      ])
      expect(c.publicationsByChannel).toEqual([
        { name: '门户网站', publications: 5 },
        { name: '“法治垫江”微信公众号', publications: 1 },
      ])
      expect(c.byUnit).toEqual([
        { name: '未注明单位', items: 3 },
        { name: '法制股', items: 2 },
      ])
      expect(c.byMonth).toEqual([{ month: '2026-03', items: 5 }])
      const quotas = await t.app.inject({ url: '/console/quotas?year=2026', headers: { cookie: head.cookie } })
      expect(quotas.body).toMatch(/法制股<\/th>(<td>0 ✗<\/td>){2}<td>2 ✓<\/td>/)
      const counts = await t.app.inject({
        url: '/console/counts?from=2026-01-01&to=2026-12-31',
        headers: { cookie: head.cookie },
      })
      expect(counts.body).toContain('主动公开信息共 <strong>5</strong> 条')
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)("the portal's render cache on %s", (kind) => {
  test('a public page is served from the cache until a change, then rendered afresh', async () => {
    const t = await testApp(kind)
    try {
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, t.officeId)
      const publisherAccount = await buildStaff(t.deps, { roles: ['publisher'] })
      const publisher = staffOf(publisherAccount.id, t.officeId)
      const column = (await listColumns(t.deps.db, t.officeId)).find((c) => c.name === '部门动态')!.id
      const id = await createItem(t.deps, author, {
        columnId: column,
        title: '缓存测试信息',
        formedOn: '2026-03-01',
        validity: 'valid',
        body: '<p onclick="alert(1)"><strong>正文</strong><script>alert(2)</script><img src=x onerror=alert(3)><a href="javascript:alert(4)">链接</a></p>',
      })
      await submitItem(t.deps, author, id)
      for (const level of [1, 2, 3]) {
        const r = await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: level })
        await reviewItem(t.deps, staffOf(r.id, t.officeId), level, id, {
          decision: 'approved',
          checks: ['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'],
          reason: null,
        })
      }
      await publishItem(t.deps, publisher, id)
      const first = await t.app.inject(`/items/${id}`)
      expect(first.headers['x-cache']).toBeUndefined()
      // Rich text keeps its formatting and loses every script.
      expect(first.body).toContain('<p><strong>正文</strong><a>链接</a></p>')
      expect(first.body).not.toMatch(/<script|onclick|onerror|javascript:/)
      const second = await t.app.inject(`/items/${id}`)
      expect(second.headers['x-cache']).toBe('hit')
      expect(second.body).toBe(first.body)
      const s = await signIn(t.app, publisherAccount)
      const out = await t.app.inject({
        method: 'POST',
        url: `/console/items/${id}/withdraw`,
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, reason: '内容需要更正' }),
      })
      expect(out.statusCode).toBe(303)
      const after = await t.app.inject(`/items/${id}`)
      expect(after.headers['x-cache']).toBeUndefined()
      expect(after.body).toContain('本信息已撤回')
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('column settings on %s', (kind) => {
  test('the office head adds a news column and renames it; a duplicate name at the same level is refused', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const added = await t.app.inject({
        method: 'POST',
        url: '/console/columns',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, name: '乡村振兴动态', class: 'news', parentId: '' }),
      })
      expect(added.statusCode).toBe(303)
      const dup = await t.app.inject({
        method: 'POST',
        url: '/console/columns',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, name: '乡村振兴动态', class: 'news', parentId: '' }),
      })
      expect(dup.statusCode).toBe(422)
      expect(dup.body).toContain('同级已有同名栏目')
      const column = (await listColumns(t.deps.db, t.officeId)).find((c) => c.name === '乡村振兴动态')!
      expect(column.class).toBe('news')
      await t.app.inject({
        method: 'POST',
        url: `/console/columns/${column.id}`,
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, name: '乡村振兴' }),
      })
      expect((await listColumns(t.deps.db, t.officeId)).find((c) => c.id === column.id)!.name).toBe('乡村振兴')
      expect((await t.app.inject(`/agencies/${t.officeId}`)).body).toContain('乡村振兴')
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('index number format on %s', (kind) => {
  test('with the organisation-code prefix and the year-month form, new items are numbered so; the serial still runs per year', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/index-format',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, prefix: 'custom', custom: '', period: 'year' }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('请填写自定义前段码')
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/index-format',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, prefix: 'org', custom: '', period: 'month' }),
      })
      expect(ok.statusCode).toBe(303)
      const author = staffOf((await buildStaff(t.deps, { roles: ['drafter'] })).id, t.officeId)
      const column = (await listColumns(t.deps.db, t.officeId)).find((c) => c.name === '通知公告')!.id
      const id = await createItem(t.deps, author, {
        columnId: column,
        title: '格式测试',
        formedOn: '2026-03-01',
        body: '正文',
        validity: 'valid',
      })
      expect((await findOwnItem(t.deps, author, id)).index_number).toBe('MB1520460/202603-00001')
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('fixing what the scan finds, on the item page, on %s', (kind) => {
  test('the drafter sees the scan findings right after saving; a reviewer not at the waiting level returns the item with a reason the drafter reads (条例 art. 17)', async () => {
    const t = await testApp(kind)
    try {
      const drafterAccount = await buildStaff(t.deps, { roles: ['drafter'] })
      const drafter = await signIn(t.app, drafterAccount)
      const column = (await listColumns(t.deps.db, t.officeId)).find((c) => c.name === '部门动态')!.id
      const created = await t.app.inject({
        method: 'POST',
        url: '/console/items',
        headers: post(drafter.cookie),
        payload: form({
          _csrf: drafter.csrf,
          columnId: String(column),
          title: '关于表彰先进个人的通报',
          formedOn: '2026-03-01',
          body: '获奖人张三，身份证号 11010519491231002X，电话 13800001111。',
          validity: 'valid',
        }),
      })
      expect(created.statusCode).toBe(303)
      const url = created.headers.location!.split('?')[0]!
      const page = await t.app.inject({ url, headers: { cookie: drafter.cookie } })
      expect(page.body).toContain('保密审查发现以下内容，不能发布')
      expect(page.body).toContain('每次保存、上传附件和提交审核时自动审查')
      const submitted = await t.app.inject({
        method: 'POST',
        url: `${url}/submit`,
        headers: post(drafter.cookie),
        payload: form({ _csrf: drafter.csrf }),
      })
      expect(submitted.statusCode).toBe(303)
      // The level-3 (保密审查) reviewer sees the findings and may return it though level 1 is waiting.
      const third = await signIn(t.app, await buildStaff(t.deps, { roles: ['reviewer'], reviewLevel: 3 }))
      const seen = await t.app.inject({ url, headers: { cookie: third.cookie } })
      expect(seen.body).toContain('保密审查级别的审核人须先写明理由解除，或退回起草人修改')
      expect(seen.body).toContain(`action="${url}/return"`)
      const empty = await t.app.inject({
        method: 'POST',
        url: `${url}/return`,
        headers: post(third.cookie),
        payload: form({ _csrf: third.csrf, returnReason: '' }),
      })
      expect(empty.statusCode).toBe(422)
      expect(empty.body).toContain('请写明退回理由')
      const returned = await t.app.inject({
        method: 'POST',
        url: `${url}/return`,
        headers: post(third.cookie),
        payload: form({ _csrf: third.csrf, returnReason: '请删除获奖人的身份证号和电话' }),
      })
      expect(returned.statusCode).toBe(303)
      const back = await t.app.inject({ url, headers: { cookie: drafter.cookie } })
      expect(back.body).toContain('退回修改：请删除获奖人的身份证号和电话')
      expect(back.body).toContain('审核流程外退回')
      const id = Number(url.split('/').at(-1))
      expect((await findOwnItem(t.deps, staffOf(drafterAccount.id, t.officeId), id)).status).toBe('draft')
    } finally {
      await t.close()
    }
  })
})
