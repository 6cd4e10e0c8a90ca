import { describe, expect, test } from 'vitest'
import { actionChoices, actionLabel, rolesLabel } from './audit-labels.ts'

// Issue #12: no internal code is shown to a user. Every action the log may hold has a Chinese name; the type
// AuditAction makes an unlabelled action a compile error, and these checks keep the names themselves Chinese.

describe('the audit vocabulary', () => {
  test('every event the filter offers is named in Chinese, without Latin letters', () => {
    for (const c of actionChoices()) expect(c.label, c.value).not.toMatch(/[A-Za-z]/)
  })
  test('an application step is named as on its page; roles are named as on the accounts page', () => {
    expect(actionLabel('application.correction_requested')).toBe('依申请公开：发出补正通知')
    expect(rolesLabel('handler,office_head')).toBe('依申请公开办理人、公开办负责人')
  })
})
