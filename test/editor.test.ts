import { readFileSync } from 'node:fs'
import * as cheerio from 'cheerio'
import { describe, expect, test } from 'vitest'
import { decideApplication } from '../src/applications/decision.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { letterFile, listLetters } from '../src/applications/letter.service.ts'
import { pdfText } from '../src/confidentiality/extract-text.ts'
import { quillVersion } from '../src/disclosures/editor-assets.ts'
import { listColumns, listItemsOfAgency } from '../src/disclosures/disclosure.store.ts'
import { systemActor } from '../src/audit/audit.ts'
import { buildApplication } from './support/build-application.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #12: the item body's rich-text editor (served from the installed Quill, the body still
// sanitised by the server's allow-list, OUT-01) with a preview as the portal shows it; and a
// letter edited before issue beside a preview of the letter as issued.

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const wordPaste = readFileSync(new URL('./fixtures/word-paste.html', import.meta.url), 'utf8')
const squeeze = (s: string) => s.replace(/\s+/g, '')

describe.each(databaseKinds)('the item body editor on %s', (kind) => {
  test('the editor is served from the installed package under its version, cached for a year; another version is not found', async () => {
    const t = await testApp(kind)
    try {
      const script = await t.app.inject({ url: `/assets/quill/${quillVersion}/quill.js` })
      expect(script.statusCode).toBe(200)
      expect(script.headers['content-type']).toContain('javascript')
      expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      expect(script.body).toContain('Quill')
      const style = await t.app.inject({ url: `/assets/quill/${quillVersion}/quill.snow.css` })
      expect(style.statusCode).toBe(200)
      expect(style.headers['content-type']).toContain('text/css')
      expect((await t.app.inject({ url: '/assets/quill/0.0.1/quill.js' })).statusCode).toBe(404)
      expect((await t.app.inject({ url: `/assets/quill/${quillVersion}/quill.core.js.map` })).statusCode).toBe(404)
      const own = await t.app.inject({ url: '/assets/item-editor.js' })
      expect(own.statusCode).toBe(200)
    } finally {
      await t.close()
    }
  })

  test('OUT-01: a body pasted from Word (mso- styles, <o:p>, spans, classes, blank lines) is stored clean, and the form offers the editor over the same textarea', async () => {
    const t = await testApp(kind)
    try {
      const drafter = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const blank = await t.app.inject({ url: '/console/items/new', headers: { cookie: drafter.cookie } })
      const $blank = cheerio.load(blank.body)
      expect($blank('textarea[name="body"][data-rich-editor]').length).toBe(1)
      expect($blank(`script[src="/assets/quill/${quillVersion}/quill.js"]`).length).toBe(1)
      expect($blank('script[src="/assets/item-editor.js"]').length).toBe(1)
      const column = (await listColumns(t.deps.db, t.officeId)).find((c) => c.name === '部门动态')!.id
      const created = await t.app.inject({
        method: 'POST',
        url: '/console/items',
        headers: post(drafter.cookie),
        payload: form({
          _csrf: drafter.csrf,
          columnId: String(column),
          title: '关于做好政务公开工作的通知',
          formedOn: '2026-03-01',
          body: wordPaste,
          validity: 'valid',
        }),
      })
      expect(created.statusCode).toBe(303)
      const [item] = await listItemsOfAgency(t.deps.db, t.officeId)
      expect(item!.body).not.toMatch(/mso-|<o:p|<span|class=|style=|<meta|<xml|<!--|javascript:|WordDocument/i)
      expect(item!.body).toContain('<h2>关于做好政务公开工作的通知</h2>')
      expect(item!.body).toContain('<p>各区县人民政府：</p>')
      expect(item!.body).toContain('<p><b>一、总体要求</b></p>')
      expect(item!.body).toContain('<td colspan="2"><p>时限</p></td>')
      expect(item!.body).toContain('<a href="https://www.gov.cn/zhengce/" rel="noopener noreferrer">中国政府网</a>')
      expect(item!.body).not.toMatch(/<p>[\s\u00a0]*<\/p>/)
      // The form shows the stored body back in the textarea, and rendered as the portal shows it.
      const page = await t.app.inject({ url: `/console/items/${item!.id}`, headers: { cookie: drafter.cookie } })
      const $ = cheerio.load(page.body)
      expect($('textarea[name="body"]').text()).toBe(item!.body)
      expect($('.body-preview .item-body h2').text()).toBe('关于做好政务公开工作的通知')
    } finally {
      await t.close()
    }
  })

  test('OUT-01: 预览 shows the body sanitised, in the portal’s item styling, and stores nothing', async () => {
    const t = await testApp(kind)
    try {
      const drafter = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const before = (await listItemsOfAgency(t.deps.db, t.officeId)).length
      const res = await t.app.inject({
        method: 'POST',
        url: '/console/items/preview',
        headers: post(drafter.cookie),
        payload: form({
          _csrf: drafter.csrf,
          title: '预览中的通知',
          body: '<h2>一、目标</h2><p onclick="alert(1)">正文<script>alert(1)</script></p>',
        }),
      })
      expect(res.statusCode).toBe(200)
      const $ = cheerio.load(res.body)
      expect($('h1').text()).toBe('预览中的通知')
      expect($('.portal-preview .item-body').html()).toBe('<h2>一、目标</h2><p>正文</p>')
      expect(res.body).toContain('尚未保存')
      expect((await listItemsOfAgency(t.deps.db, t.officeId)).length).toBe(before)
      // Without the form's token the preview is refused like any other post (CSRF).
      const forged = await t.app.inject({
        method: 'POST',
        url: '/console/items/preview',
        headers: post(drafter.cookie),
        payload: form({ title: 'x', body: 'y' }),
      })
      expect(forged.statusCode).toBe(403)
      // Only drafters write bodies, so only they preview them.
      const reviewer = await signIn(t.app, await buildStaff(t.deps, { roles: ['reviewer'] }))
      const refused = await t.app.inject({
        method: 'POST',
        url: '/console/items/preview',
        headers: post(reviewer.cookie),
        payload: form({ _csrf: reviewer.csrf, title: 'x', body: 'y' }),
      })
      expect(refused.statusCode).toBe(403)
    } finally {
      await t.close()
    }
  })
})

describe.each(databaseKinds)('a letter edited before issue on %s', (kind) => {
  test('the preview is the letter as issued: the same head, paragraphs and signature as its PDF; 预览 shows the typed text without saving it; a refused edit keeps the text', async () => {
    const t = await testApp(kind)
    try {
      // The handler who decided sees the letter's personal data (maySeePersonalData).
      const account = await buildStaff(t.deps, { roles: ['handler'] })
      const handler = await signIn(t.app, account)
      const actor = { ...systemActor('承办人'), id: account.id, agencyId: t.officeId, roles: ['handler' as const] }
      const { id } = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      await decideApplication(t.deps, actor, id, { on: '2026-03-02', outcome: 'GRANTED', replyType: '2', basis: '' })
      const application = await findOwnApplication(t.deps, actor, id)
      const letter = (await listLetters(t.deps, t.deps.db, application)).find((l) => l.kind === 'decision')!
      const url = `/console/applications/${id}`

      const page = cheerio.load((await t.app.inject({ url, headers: { cookie: handler.cookie } })).body)
      expect(page(`form.letter-editor textarea#letter-${letter.id}`).text()).toBe(letter.body)
      const pdf = await pdfText((await letterFile(t.deps, application, letter.id, 'pdf', 'staff')).bytes)
      expect(squeeze(page(`#letter-${letter.id}-preview .letter-page`).text())).toBe(squeeze(pdf))

      const edited = `${letter.body}\n本机关另附办理指引一份。`
      const previewed = await t.app.inject({
        method: 'POST',
        url: `${url}/letters/${letter.id}`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, body: edited, do: 'preview' }),
      })
      expect(previewed.statusCode).toBe(200)
      const $p = cheerio.load(previewed.body)
      expect($p(`#letter-${letter.id}`).text()).toBe(edited)
      expect($p(`#letter-${letter.id}-preview .letter-body p`).last().text()).toBe('本机关另附办理指引一份。')
      expect($p(`#letter-${letter.id}-preview h4`).text()).toContain('尚未保存')
      const stored = (await listLetters(t.deps, t.deps.db, application)).find((l) => l.id === letter.id)!
      expect(stored.body).toBe(letter.body)

      const tooLong = `${letter.body}\n${'长'.repeat(20_001)}`
      const refused = await t.app.inject({
        method: 'POST',
        url: `${url}/letters/${letter.id}`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, body: tooLong, do: 'save' }),
      })
      expect(refused.statusCode).toBe(422)
      const $r = cheerio.load(refused.body)
      expect($r(`#letter-${letter.id}-error`).text()).toBe('不超过 20000 字')
      expect($r(`#letter-${letter.id}`).text()).toBe(tooLong)

      const saved = await t.app.inject({
        method: 'POST',
        url: `${url}/letters/${letter.id}`,
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, body: edited, do: 'save' }),
      })
      expect(saved.statusCode).toBe(200)
      const $s = cheerio.load(saved.body)
      expect($s(`#letter-${letter.id}-preview h4`).text()).toContain('按已保存的内容')
      expect($s(`#letter-${letter.id}-preview .letter-body p`).last().text()).toBe('本机关另附办理指引一份。')
    } finally {
      await t.close()
    }
  })
})
