import { describe, expect, test } from 'vitest'
import { searchAudit } from '../src/audit/audit.service.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// 国办发〔2017〕47号《政府网站发展指引》: every page of a government site shows at its foot the
// 主办单位, contact, 网站标识码, ICP 备案号 and 公安机关备案号. The 系统管理员 sets them.

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const footerOf = (html: string) => html.slice(html.indexOf('<footer'))

const complete = {
  host: '垫江县人民政府办公室',
  organiser: '垫江县大数据发展中心',
  address: '垫江县桂溪街道人民东路 1 号',
  phone: '023-74680000',
  email: 'gk@dianjiang.gov.cn',
  siteCode: '5002310001',
  icp: '渝ICP备05003300号-1',
  police: '渝公网安备 50023102000001号',
}

describe.each(databaseKinds)('the footer of every public page (国办发〔2017〕47号), on %s', (kind) => {
  test('before anything is set the footer shows no placeholder and no filing numbers', async () => {
    const t = await testApp(kind)
    try {
      const home = footerOf((await t.app.inject({ url: '/' })).body)
      expect(home).not.toContain('主办单位')
      expect(home).not.toContain('ICP')
      expect(home).not.toContain('undefined')
      expect(home).toContain('政府信息公开条例')
    } finally {
      await t.close()
    }
  })

  test('the 系统管理员 sets 主办单位, contact, 网站标识码 and both filing numbers; every public page shows them with their links (国办发〔2017〕47号)', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['sysadmin'] }))
      // A page rendered before the change is in the cache: saving must drop it.
      await t.app.inject({ url: '/' })
      const saved = await t.app.inject({
        method: 'POST',
        url: '/console/site',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, ...complete }),
      })
      expect(saved.statusCode).toBe(303)
      for (const url of ['/', '/catalogue', '/search?q=公开', '/reports', `/agencies/${t.officeId}`, '/track']) {
        const footer = footerOf((await t.app.inject({ url })).body)
        expect(footer, url).toContain('主办单位：垫江县人民政府办公室')
        expect(footer, url).toContain('承办单位：垫江县大数据发展中心')
        expect(footer, url).toContain('联系电话：023-74680000')
        expect(footer, url).toContain('网站标识码：5002310001')
        expect(footer, url).toContain('<a href="https://beian.miit.gov.cn/" rel="noopener">渝ICP备05003300号-1</a>')
        expect(footer, url).toContain(
          'href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=50023102000001"',
        )
      }
      const audit = await searchAudit(t.deps, {}, 1)
      expect(audit.map((r) => r.action)).toContain('site_footer.update')
    } finally {
      await t.close()
    }
  })

  test('only what is set is shown: a footer with 主办单位 alone has no empty contact or filing line', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['sysadmin'] }))
      const empty = { organiser: '', address: '', phone: '', email: '', siteCode: '', icp: '', police: '' }
      await t.app.inject({
        method: 'POST',
        url: '/console/site',
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, host: '垫江县人民政府办公室', ...empty }),
      })
      const footer = footerOf((await t.app.inject({ url: '/' })).body)
      expect(footer).toContain('主办单位：垫江县人民政府办公室')
      for (const absent of ['承办单位', '联系电话', '网站标识码', 'beian', '：<']) expect(footer).not.toContain(absent)
    } finally {
      await t.close()
    }
  })

  test('wrong filing numbers are refused in Chinese beside their fields, the input kept and nothing saved', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['sysadmin'] }))
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/site',
        headers: post(s.cookie),
        payload: form({
          _csrf: s.csrf,
          ...complete,
          host: '',
          siteCode: '12345',
          icp: 'ICP 12345',
          police: '渝公网安备 123号',
          email: 'not-an-address',
        }),
      })
      expect(bad.statusCode).toBe(422)
      for (const message of [
        '请填写主办单位',
        '网站标识码应为 10 位数字',
        'ICP 备案号格式应如',
        '公安机关备案号格式应如',
        '电子邮箱格式不正确',
      ])
        expect(bad.body).toContain(message)
      expect(bad.body).toContain('value="ICP 12345"')
      expect(footerOf((await t.app.inject({ url: '/' })).body)).not.toContain('主办单位')
      expect((await searchAudit(t.deps, {}, 1)).map((r) => r.action)).not.toContain('site_footer.update')
    } finally {
      await t.close()
    }
  })

  test('only the 系统管理员 edits the footer', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['office_head'] }))
      expect((await t.app.inject({ url: '/console/site', headers: { cookie: s.cookie } })).statusCode).toBe(403)
    } finally {
      await t.close()
    }
  })
})
