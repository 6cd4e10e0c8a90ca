import { describe, expect, test } from 'vitest'
import { loadConfig } from '../config.ts'
import { composeMail, failureText, mailKindOfLetter, mailKinds, retryDelayMinutes } from './mail.ts'
import type { MailKind } from './mail.ts'

// E-mail to the applicant (issue #11): what a message says, which letters call for one, when a
// failed one is tried again, and the settings that turn it on.

describe('the message to the applicant', () => {
  test('issue #11: every step is told in Chinese with the number and the tracking link, and nothing else of the case', () => {
    for (const kind of Object.keys(mailKinds) as MailKind[]) {
      const m = composeMail(kind, 'YSQ20260302123456', 'https://gk.example.gov.cn')
      expect(m.subject).toMatch(/^您的政府信息公开申请.+（申请编号 YSQ20260302123456）$/)
      expect(m.text).toContain('申请编号：YSQ20260302123456')
      expect(m.text).toContain('查询页面：https://gk.example.gov.cn/track?number=YSQ20260302123456')
      expect(m.text).toContain('本邮件不包含申请内容和文书')
    }
  })

  test('issue #11: letters addressed to the applicant (条例第三十条、第三十三条、第三十五条, 109号 fee notice, the decision) call for a message; the consultation letter to a third party (第三十二条) does not', () => {
    expect(['correction', 'extension', 'fee', 'delay', 'decision'].map(mailKindOfLetter)).toEqual([
      'correction',
      'extension',
      'fee',
      'delay',
      'decision',
    ])
    expect(mailKindOfLetter('consultation')).toBeUndefined()
    expect(mailKindOfLetter('receipt')).toBeUndefined()
  })

  test('issue #11: a refused message is tried again after 1, 5, 30, 120 and 360 minutes, then given up', () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelayMinutes)).toEqual([1, 5, 30, 120, 360, undefined])
  })

  test('issue #11: failures read in plain Chinese for the handler, with the server’s own answer', () => {
    expect(failureText({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' })).toContain('无法连接邮件服务器')
    expect(failureText({ code: 'EAUTH', response: '535 Authentication failed' })).toBe(
      '邮件服务器拒绝登录，请检查 SMTP_URL 中的用户名和密码（服务器答复：535 Authentication failed）',
    )
    expect(failureText({ code: 'EENVELOPE', responseCode: 550, response: '550 No such user' })).toContain(
      '收件人地址或邮件不被接受',
    )
    expect(
      failureText(
        { code: 'EENVELOPE', responseCode: 550, response: '550 <Li.Ming@example.cn> unknown' },
        'li.ming@example.cn',
      ),
    ).toBe('邮件服务器拒收，收件人地址或邮件不被接受（服务器答复：550 <l***@example.cn> unknown）')
  })
})

describe('the e-mail settings', () => {
  const base = { DATA_DIR: '/tmp/gongkai-config-test' }

  test('issue #11: without SMTP_URL no e-mail is configured', () => {
    expect(loadConfig(base).smtpUrl).toBeUndefined()
  })

  test('issue #11: SMTP_URL must be smtp:// or smtps://, and needs PUBLIC_URL for the link; each refusal is in Chinese', () => {
    expect(() =>
      loadConfig({ ...base, SMTP_URL: 'mail.example.cn:25', PUBLIC_URL: 'https://gk.example.gov.cn' }),
    ).toThrow('SMTP_URL 格式应为 smtp://用户名:密码@主机:端口 或 smtps://')
    expect(() => loadConfig({ ...base, SMTP_URL: 'smtps://u:p@mail.example.cn:465' })).toThrow(
      '设置了 SMTP_URL 时必须同时设置 PUBLIC_URL',
    )
    expect(() =>
      loadConfig({
        ...base,
        SMTP_URL: 'smtp://mail.example.cn',
        PUBLIC_URL: 'https://gk.example.gov.cn',
        MAIL_FROM: '政务公开',
      }),
    ).toThrow('MAIL_FROM 应为电子邮箱地址')
  })

  test('issue #11: MAIL_FROM defaults to a no-reply address at the platform’s host; PUBLIC_URL loses its trailing slash', () => {
    const config = loadConfig({
      ...base,
      SMTP_URL: 'smtp://u:p@mail.example.cn:587',
      PUBLIC_URL: 'https://gk.example.gov.cn/',
    })
    expect(config.smtpUrl).toBe('smtp://u:p@mail.example.cn:587')
    expect(config.publicUrl).toBe('https://gk.example.gov.cn')
    expect(config.mailFrom).toBe('政府信息公开平台 <no-reply@gk.example.gov.cn>')
  })
})
