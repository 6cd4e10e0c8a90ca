import { describe, expect, test } from 'vitest'
import { applicationView, requestCorrection } from '../src/applications/application.service.ts'
import { buildAgency, buildApplication, buildStaffActor } from './support/build-application.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// The handler's console over HTTP: registration of a paper application with its art. 31 date, the
// clock explained on the page, validated steps that keep the input, masked personal data and the
// audited reveal, the queues, and the supervisor's region view.

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const applicant = {
  category: 'natural',
  name: '王秀英',
  idType: 'resident_id',
  idNumber: '11010519491231002X',
  phone: '13700001111',
  address: '垫江县澄溪镇长安街 5 号',
  infoDescription: '澄溪镇 2025 年农村公路养护资金分配表',
  wantedForm: 'paper',
  deliveryWay: 'post',
}

describe.each(databaseKinds)("the handler's console on %s", (kind) => {
  test('a mailed application is registered with its signing date; steps move the due date on the page; personal data stays masked until revealed', async () => {
    const t = await testApp(kind)
    try {
      const handler = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const head = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/applications',
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, ...applicant, channel: 'mail_signed', receivedOn: '2026-03-09' }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('收到申请之日不能晚于今天')
      expect(bad.body).toContain('澄溪镇 2025 年农村公路养护资金分配表')
      // Signed for on Friday 2-27 (clock: 2026-03-02): Saturday 2-28 is a make-up working day (1), 3-2…3-6 (6),
      // 3-9…3-13 (11), 3-16…3-20 (16), 3-23…3-26 (20).
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/applications',
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, ...applicant, channel: 'mail_signed', receivedOn: '2026-02-27' }),
      })
      expect(ok.statusCode).toBe(303)
      const url = ok.headers.location!.replace(/\?.*$/, '')
      const id = Number(url.split('/').pop())
      let page = await t.app.inject({ url, headers: { cookie: handler.cookie } })
      expect(page.body).toContain('id="due">2026-03-26<')
      expect(page.body).toContain('本机关签收之日')
      expect(page.body).toContain('王*英')
      expect(page.body).not.toContain('王秀英')
      expect(page.body).not.toContain('13700001111')

      const missing = await t.app.inject({
        method: 'POST',
        url: `${url}/correction`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, on: '2026-03-02', correctBy: '2026-03-16', what: '' }),
      })
      expect(missing.statusCode).toBe(422)
      expect(missing.body).toContain('请写明需要补正的事项')
      const consult = await t.app.inject({
        method: 'POST',
        url: `${url}/consultation`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, on: '2026-03-02', party: 'agency', to: '垫江县交通局' }),
      })
      expect(consult.statusCode).toBe(303)
      page = await t.app.inject({ url, headers: { cookie: handler.cookie } })
      expect(page.body).toContain('征求其他机关意见（第三十四条）')
      expect(page.body).toContain('自 2026-03-02 起计时暂停')

      // The handler who acted sees everything; the reveal is audited.
      const revealed = await t.app.inject({
        method: 'POST',
        url: `${url}/reveal`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf }),
      })
      expect(revealed.body).toContain('王秀英')
      expect(revealed.body).toContain('13700001111')
      const audit = await t.deps.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'application.reveal')
        .execute()
      expect(audit).toHaveLength(1)

      // Only the office head extends.
      const byHandler = await t.app.inject({
        method: 'POST',
        url: `${url}/extension`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, on: '2026-03-02', days: '10', reason: '材料较多' }),
      })
      expect(byHandler.statusCode).toBe(403)
      const byHead = await t.app.inject({
        method: 'POST',
        url: `${url}/extension`,
        headers: post(head.cookie),
        payload: form({ _csrf: head.csrf, on: '2026-03-02', days: '10', reason: '材料较多' }),
      })
      expect(byHead.statusCode).toBe(303)
      page = await t.app.inject({ url, headers: { cookie: handler.cookie } })
      expect(page.body).toContain('延长答复期限 10 个工作日')
      expect(page.body).toContain('延期答复告知书（草稿）')

      const queue = await t.app.inject({ url: '/console/applications?queue=open', headers: { cookie: handler.cookie } })
      expect(queue.body).toContain(`/console/applications/${id}`)
      const supervisor = await signIn(t.app, await buildStaff(t.deps, { roles: ['supervisor'] }))
      const region = await t.app.inject({ url: '/console/region/applications', headers: { cookie: supervisor.cookie } })
      expect(region.statusCode).toBe(200)
      expect(region.body).toContain('区域依申请公开办理情况')
    } finally {
      await t.close()
    }
  })
  test("staff register a mailed company's application without an ID document (条例 art. 29 asks 身份证明 of a person); a person still needs one", async () => {
    const t = await testApp(kind)
    try {
      const handler = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const register = (fields: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/console/applications',
          headers: post(handler.cookie),
          payload: form({ _csrf: handler.csrf, ...fields, channel: 'mail_signed', receivedOn: '2026-02-27' }),
        })
      const ok = await register({
        ...applicant,
        category: 'commercial',
        name: '重庆垫江恒达建材有限公司',
        idType: '',
        idNumber: '',
        creditCode: '91350100M000100Y43',
        contactPerson: '张伟',
      })
      expect(ok.body).not.toContain('Invalid option')
      expect(ok.statusCode).toBe(303)
      const stored = await t.deps.db
        .selectFrom('applications')
        .select(['id_type', 'applicant_category'])
        .executeTakeFirstOrThrow()
      expect(stored).toEqual({ id_type: null, applicant_category: 'commercial' })

      const person = await register({ ...applicant, idType: '' })
      expect(person.statusCode).toBe(422)
      expect(person.body).toContain('请选择身份证件类型')
      expect(person.body).not.toContain('Invalid option')
    } finally {
      await t.close()
    }
  })
  test('an appeal is recorded and concluded from the console; a bad date keeps the form', async () => {
    const t = await testApp(kind)
    try {
      const handler = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/appeals',
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, kind: 'reconsideration', filedOn: '2099-01-01', note: '申请人不服答复' }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('日期无效或晚于今天')
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/appeals',
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, kind: 'reconsideration', filedOn: '2026-02-10' }),
      })
      expect(ok.statusCode).toBe(303)
      const id = (await t.deps.db.selectFrom('appeals').select('id').executeTakeFirstOrThrow()).id
      const done = await t.app.inject({
        method: 'POST',
        url: `/console/appeals/${id}/conclude`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, rawResult: '撤销', concludedOn: '2026-02-27' }),
      })
      expect(done.statusCode).toBe(303)
      const list = await t.app.inject({ url: '/console/appeals', headers: { cookie: handler.cookie } })
      expect(list.body).toContain('撤销（2026-02-27）')
      expect(list.body).toContain('结果纠正')
    } finally {
      await t.close()
    }
  })
  test("the office head's reconsideration body and own template go into the letters; the 系统管理员 decides whether a fee notice stops the clock", async () => {
    const t = await testApp(kind)
    try {
      const head = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/request-settings',
        headers: post(head.cookie),
        payload: form({ _csrf: head.csrf, reconsiderationBody: '', frequentThreshold: '1' }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('至少 2 件')
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/request-settings',
        headers: post(head.cookie),
        payload: form({
          _csrf: head.csrf,
          reconsiderationBody: '重庆市垫江县人民政府行政复议办公室',
          frequentThreshold: '5',
          feePayment: '通过政府非税收入统一缴款平台缴纳',
          template_correction: '{申请人}：\n您的申请（{申请编号}）需补正：{补正事项}。请于{补正期限}前补正。',
          template_decision: '',
        }),
      })
      expect(ok.statusCode).toBe(303)
      const handler = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const created = await t.app.inject({
        method: 'POST',
        url: '/console/applications',
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, ...applicant, channel: 'in_person', receivedOn: '2026-03-02' }),
      })
      const url = created.headers.location!.replace(/\?.*$/, '')
      await t.app.inject({
        method: 'POST',
        url: `${url}/correction`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, on: '2026-03-02', correctBy: '2026-03-16', what: '写明路段名称' }),
      })
      const page = await t.app.inject({ url, headers: { cookie: handler.cookie } })
      expect(page.body).toContain('王秀英：\n您的申请（YSQ')
      expect(page.body).toContain('需补正：写明路段名称。请于2026年3月16日前补正。')

      // Fee notice on 3-02 (per volume, 50 pages) for a second application; due 3-30 counted as paused by default.
      const sys = await signIn(t.app, await buildStaff(t.deps, { roles: ['sysadmin'] }))
      const second = await t.app.inject({
        method: 'POST',
        url: '/console/applications',
        headers: post(handler.cookie),
        payload: form({
          _csrf: handler.csrf,
          ...applicant,
          infoDescription: '另一份申请',
          channel: 'in_person',
          receivedOn: '2026-03-02',
        }),
      })
      const url2 = second.headers.location!.replace(/\?.*$/, '')
      await t.app.inject({
        method: 'POST',
        url: `${url2}/fee`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, on: '2026-03-02', method: 'volume', pages: '50', delivery: 'electronic' }),
      })
      expect((await t.app.inject({ url: url2, headers: { cookie: handler.cookie } })).body).toContain(
        '自 2026-03-02 起计时暂停',
      )
      const off = await t.app.inject({
        method: 'POST',
        url: '/console/calendar/fee-pause',
        headers: post(sys.cookie),
        payload: form({ _csrf: sys.csrf }),
      })
      expect(off.statusCode).toBe(303)
      const after = await t.app.inject({ url: url2, headers: { cookie: handler.cookie } })
      expect(after.body).not.toContain('计时暂停')
      expect(after.body).toContain('id="due">2026-03-30<')
    } finally {
      await t.close()
    }
  })
  test("staff of one agency get 404 for another agency's application page, its letter downloads and its applicant's files", async () => {
    const t = await testApp(kind)
    try {
      const bureau = await buildAgency(t.deps, '垫江县司法局')
      const theirs = await buildApplication(t.deps, { agencyId: bureau, files: 1 })
      const bureauHead = await buildStaffActor(t.deps, { roles: ['handler', 'office_head'], agencyId: bureau })
      const correction = { on: '2026-03-02', correctBy: '2026-03-16', what: '写明年份' }
      await requestCorrection(t.deps, bureauHead, theirs.id, correction)
      const { letters, files } = await applicationView(t.deps, bureauHead, theirs.id)
      const url = `/console/applications/${theirs.id}`
      const letterUrl = `${url}/letters/${letters[0]!.id}`
      const fileUrl = `${url}/files/${files[0]!.id}`

      // The bureau's own handler reaches all three: they exist.
      const own = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'], agencyId: bureau }))
      for (const path of [url, `${letterUrl}/pdf`, `${letterUrl}/docx`, fileUrl])
        expect((await t.app.inject({ url: path, headers: { cookie: own.cookie } })).statusCode).toBe(200)

      // The government office's head is of another agency: every one of them is not found (AC-03).
      const other = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler', 'office_head'] }))
      for (const path of [url, `${letterUrl}/pdf`, `${letterUrl}/docx`, fileUrl]) {
        const res = await t.app.inject({ url: path, headers: { cookie: other.cookie } })
        expect([path, res.statusCode]).toEqual([path, 404])
        expect(res.body).not.toContain(theirs.number)
      }
      for (const [path, payload] of [
        [`${url}/reveal`, {}],
        [letterUrl, { body: '改写', do: 'issue' }],
        [`${url}/correction-received`, { on: '2026-03-02' }],
      ] as const) {
        const res = await t.app.inject({
          method: 'POST',
          url: path,
          headers: post(other.cookie),
          payload: form({ _csrf: other.csrf, ...payload }),
        })
        expect([path, res.statusCode]).toEqual([path, 404])
      }
    } finally {
      await t.close()
    }
  })
})
