import { describe, expect, test } from 'vitest'
import { pdfText } from '../src/confidentiality/extract-text.ts'
import { solveChallenge } from '../src/applications/proof-of-work.ts'
import { approveExtension, sendConsultation } from '../src/applications/application.service.ts'
import { issueLetter, listLetters } from '../src/applications/letter.service.ts'
import { findByTracking } from '../src/applications/tracking.service.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { anonymousSession, buildStaff, form, signIn } from './support/builders.ts'
import { multipart } from './support/multipart.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// The citizen's side over HTTP: the form validates and keeps the input, the proof of work is
// checked (and its absence only tightens the limit and flags the application), a retry creates
// nothing new, the receipt is a real PDF, and the status page needs both the number and the code.

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const values = {
  category: 'natural',
  name: '李明华',
  idType: 'resident_id',
  idNumber: '11010519491231002X',
  phone: '13912345678',
  address: '重庆市垫江县桂溪街道新华路 18 号',
  infoDescription: '2025年桂溪街道老旧小区改造项目的资金使用明细',
  wantedForm: 'electronic',
  deliveryWay: 'online',
}
// A company applying: no ID document of its own, so the select is left at 请选择 (sent empty).
const company = {
  category: 'commercial',
  name: '重庆垫江恒达建材有限公司',
  idType: '',
  idNumber: '',
  creditCode: '91350100M000100Y43',
  contactPerson: '张伟',
  phone: '023-74512345',
  address: '垫江县桂溪街道工业园区 3 号',
  infoDescription: '2025年桂溪街道工业园区道路建设项目的招标文件',
  wantedForm: 'electronic',
  deliveryWay: 'online',
}
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''

async function openForm(t: TestApp, cookie: string) {
  const page = await t.app.inject({ url: `/agencies/${t.officeId}/apply`, headers: { cookie } })
  expect(page.statusCode).toBe(200)
  return { challenge: hidden(page.body, 'powChallenge'), idem: hidden(page.body, 'idem') }
}

describe.each(databaseKinds)('the public application form on %s', (kind) => {
  test('a bad ID number is refused with the input kept; a good application gets a number, a code, a receipt and a status page', async () => {
    const t = await testApp(kind)
    try {
      const s = await anonymousSession(t.app)
      const { challenge, idem } = await openForm(t, s.cookie)
      const bad = await t.app.inject({
        method: 'POST',
        url: `/agencies/${t.officeId}/apply`,
        headers: post(s.cookie),
        payload: form({
          _csrf: s.csrf,
          ...values,
          idNumber: '110105194912310021',
          idem,
          powChallenge: challenge,
          powNonce: solveChallenge(challenge),
        }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('居民身份证号码不正确')
      expect(bad.body).toContain('重庆市垫江县桂溪街道新华路 18 号')
      expect(await t.deps.db.selectFrom('applications').select('id').execute()).toHaveLength(0)

      const payload = form({
        _csrf: s.csrf,
        ...values,
        idem,
        powChallenge: challenge,
        powNonce: solveChallenge(challenge),
      })
      const ok = await t.app.inject({
        method: 'POST',
        url: `/agencies/${t.officeId}/apply`,
        headers: post(s.cookie),
        payload,
      })
      expect(ok.statusCode).toBe(200)
      const number = /id="tracking-number">([^<]+)</.exec(ok.body)![1]!
      const code = /id="query-code">([^<]+)</.exec(ok.body)![1]!
      expect(ok.body).toContain(
        '本机关应于2026年3月30日（含当日）前答复：自收到申请之日起20个工作日（条例第三十三条），征求意见、补正期间不计算在内',
      )
      // The retry (same form, same key) shows the same application again and creates nothing.
      const retry = await t.app.inject({
        method: 'POST',
        url: `/agencies/${t.officeId}/apply`,
        headers: post(s.cookie),
        payload,
      })
      expect(retry.statusCode).toBe(200)
      expect(retry.body).toContain(number)
      expect(retry.body).toContain('没有重复提交')
      expect(await t.deps.db.selectFrom('applications').select('id').execute()).toHaveLength(1)
      // A spent challenge cannot be used for a new application.
      const reuse = await t.app.inject({
        method: 'POST',
        url: `/agencies/${t.officeId}/apply`,
        headers: post(s.cookie),
        payload: form({
          _csrf: s.csrf,
          ...values,
          infoDescription: '另一份申请的内容描述',
          idem: 'another-key-0123456789',
          powChallenge: challenge,
          powNonce: solveChallenge(challenge),
        }),
      })
      expect(reuse.statusCode).toBe(422)

      const receipt = await t.app.inject({
        method: 'POST',
        url: '/apply/receipt',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, number, queryCode: code }),
      })
      expect(receipt.headers['content-type']).toBe('application/pdf')
      const text = (await pdfText(receipt.rawPayload)).replace(/\s+/g, '')
      expect(text).toContain('政府信息公开申请回执')
      expect(text).toContain(number)

      const wrong = await t.app.inject({
        method: 'POST',
        url: '/track',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, number, queryCode: 'AAAAAAAAAA' }),
      })
      expect(wrong.statusCode).toBe(422)
      expect(wrong.body).toContain('申请编号或查询码不正确')
      // The e-mails link to /track with the number: it is filled in for the applicant.
      expect((await t.app.inject(`/track?number=${number}`)).body).toContain(`value="${number}"`)
      const status = await t.app.inject({
        method: 'POST',
        url: '/track',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, number, queryCode: code }),
      })
      expect(status.statusCode).toBe(200)
      expect(status.body).toContain('办理中')
      expect(status.body).toContain('2026-03-30')
      expect(status.body).not.toContain('李明华')

      // The applicant adds a copy of the ID; the wrong kind of file is refused; a handler opens it, audited.
      const upload = (name: string, content: Buffer) => {
        const m = multipart({ _csrf: s.csrf, number, queryCode: code }, { name, content })
        return t.app.inject({
          method: 'POST',
          url: '/track/files',
          headers: { cookie: s.cookie, 'content-type': m.contentType },
          payload: m.payload,
        })
      }
      const exe = await upload('身份证.exe', Buffer.from('MZ'))
      expect(exe.statusCode).toBe(422)
      expect(exe.body).toContain('材料仅支持 PDF、JPG、PNG')
      const ok2 = await upload('身份证复印件.pdf', Buffer.from('%PDF-1.4 身份证复印件'))
      expect(ok2.statusCode).toBe(200)
      expect(ok2.body).toContain('材料已上传')
      const other = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const handler = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      const appId = (await t.deps.db.selectFrom('applications').select('id').executeTakeFirstOrThrow()).id
      const page = await t.app.inject({ url: `/console/applications/${appId}`, headers: { cookie: handler.cookie } })
      expect(page.body).toContain('身份证复印件.pdf')
      const fileId = (await t.deps.db.selectFrom('application_files').select('id').executeTakeFirstOrThrow()).id
      // A handler who has not taken the application does not see the applicant's files.
      expect(
        (
          await t.app.inject({
            url: `/console/applications/${appId}/files/${fileId}`,
            headers: { cookie: other.cookie },
          })
        ).statusCode,
      ).toBe(403)
      const opened = await t.app.inject({
        url: `/console/applications/${appId}/files/${fileId}`,
        headers: { cookie: handler.cookie },
      })
      expect(opened.headers['content-disposition']).toContain('attachment')
      expect(opened.body).toContain('身份证复印件')
      expect(
        await t.deps.db
          .selectFrom('audit_log')
          .select('action')
          .where('action', '=', 'application.file_open')
          .execute(),
      ).toHaveLength(1)
    } finally {
      await t.close()
    }
  })

  test('an organisation applies without an ID document (条例 art. 29 asks 身份证明 of a person, not of a company); a person still needs one', async () => {
    const t = await testApp(kind)
    try {
      const s = await anonymousSession(t.app)
      const apply = async (fields: Record<string, string>) => {
        const { challenge, idem } = await openForm(t, s.cookie)
        return t.app.inject({
          method: 'POST',
          url: `/agencies/${t.officeId}/apply`,
          headers: post(s.cookie),
          payload: form({
            _csrf: s.csrf,
            ...fields,
            idem,
            powChallenge: challenge,
            powNonce: solveChallenge(challenge),
          }),
        })
      }
      const ok = await apply(company)
      expect(ok.body).not.toContain('Invalid option')
      expect(ok.statusCode).toBe(200)
      expect(ok.body).toMatch(/id="tracking-number">YSQ/)
      const stored = await t.deps.db
        .selectFrom('applications')
        .select(['id_type', 'applicant_category'])
        .executeTakeFirstOrThrow()
      expect(stored).toEqual({ id_type: null, applicant_category: 'commercial' })

      const person = await apply({ ...values, idType: '', infoDescription: '另一份申请的内容描述' })
      expect(person.statusCode).toBe(422)
      expect(person.body).toContain('请选择身份证件类型')
      expect(person.body).not.toContain('Invalid option')
    } finally {
      await t.close()
    }
  })

  test('the applicant sees and downloads only letters addressed to them, never the consultation letter to the third party (条例 art. 32)', async () => {
    const t = await testApp(kind)
    try {
      const built = await buildApplication(t.deps)
      const head = await buildStaffActor(t.deps, { roles: ['office_head'] })
      await sendConsultation(t.deps, head, built.id, {
        on: '2026-03-02',
        party: 'thirdParty',
        to: '垫江县某建筑有限公司',
      })
      await approveExtension(t.deps, head, built.id, { on: '2026-03-02', days: 10, reason: '需要征求第三方意见' })
      const application = (await findByTracking(t.deps, built.number, built.queryCode))!
      const letters = await listLetters(t.deps, t.deps.db, application)
      for (const l of letters) await issueLetter(t.deps, head, built.id, l.id)
      const consultation = letters.find((l) => l.kind === 'consultation')!
      const extension = letters.find((l) => l.kind === 'extension')!

      const s = await anonymousSession(t.app)
      const status = await t.app.inject({
        method: 'POST',
        url: '/track',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, number: built.number, queryCode: built.queryCode }),
      })
      expect(status.statusCode).toBe(200)
      expect(status.body).toContain('延期答复告知书')
      expect(status.body).toContain(`/track/letters/${extension.id}`)
      expect(status.body).not.toContain('征求第三方意见函')
      expect(status.body).not.toContain(`/track/letters/${consultation.id}"`)
      expect(status.body).not.toContain('垫江县某建筑有限公司')

      const download = (id: number) =>
        t.app.inject({
          method: 'POST',
          url: `/track/letters/${id}`,
          headers: post(s.cookie),
          payload: form({
            _csrf: s.csrf,
            number: built.number,
            queryCode: built.queryCode,
            lastFour: '002X',
            format: 'pdf',
          }),
        })
      const own = await download(extension.id)
      expect(own.statusCode).toBe(200)
      expect(own.headers['content-type']).toBe('application/pdf')
      const missing = await download(999_999)
      const consulted = await download(consultation.id)
      expect(consulted.statusCode).toBe(missing.statusCode)
      expect(consulted.statusCode).toBe(404)
      expect(consulted.headers['content-type']).toBe(missing.headers['content-type'])
      expect(consulted.body).toContain('文书不存在')
      const get = await t.app.inject({ url: `/track/letters/${consultation.id}`, headers: { cookie: s.cookie } })
      const getMissing = await t.app.inject({ url: '/track/letters/999999', headers: { cookie: s.cookie } })
      expect(get.statusCode).toBe(getMissing.statusCode)
    } finally {
      await t.close()
    }
  })

  test('without JavaScript the form still submits, flagged, under a tighter limit; a forged proof is refused', async () => {
    const t = await testApp(kind)
    try {
      const s = await anonymousSession(t.app)
      const forged = await openForm(t, s.cookie)
      const refused = await t.app.inject({
        method: 'POST',
        url: `/agencies/${t.officeId}/apply`,
        headers: post(s.cookie),
        payload: form({
          _csrf: s.csrf,
          ...values,
          idem: forged.idem,
          powChallenge: forged.challenge.replace(/^\d+/, '1'),
          powNonce: '0',
        }),
      })
      expect(refused.statusCode).toBe(422)
      expect(refused.body).toContain('安全校验未通过')
      const codes: number[] = []
      for (let n = 0; n < 4; n++) {
        const { challenge, idem } = await openForm(t, s.cookie)
        const r = await t.app.inject({
          method: 'POST',
          url: `/agencies/${t.officeId}/apply`,
          headers: post(s.cookie),
          payload: form({
            _csrf: s.csrf,
            ...values,
            infoDescription: `第${n}件：${values.infoDescription}`,
            idem,
            powChallenge: challenge,
            powNonce: '',
          }),
        })
        codes.push(r.statusCode)
      }
      expect(codes).toEqual([200, 200, 200, 429])
      const rows = await t.deps.db.selectFrom('applications').select('flags').execute()
      expect(rows).toHaveLength(3)
      for (const r of rows) expect(JSON.parse(r.flags!)).toContain('no_js')
    } finally {
      await t.close()
    }
  })
})
