import { describe, expect, test } from 'vitest'
import { solveChallenge } from '../src/applications/proof-of-work.ts'
import { testApp } from './support/app.ts'
import { anonymousSession, buildStaff, form, signIn } from './support/builders.ts'
import { databaseKinds } from './support/test-deps.ts'

// An application's number carries its receipt date (条例 art. 31), the date its 20 working days run
// from: the day of submission on the portal, the signing date of a mailed letter registered later.

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''
const citizen = {
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

describe.each(databaseKinds)('application numbers on %s', (kind) => {
  test('an application number carries the art. 31 receipt date: the portal day, or the signing date of a mailed letter registered later', async () => {
    const t = await testApp(kind) // the clock stands at 2026-03-02
    try {
      const s = await anonymousSession(t.app)
      const page = await t.app.inject({ url: `/agencies/${t.officeId}/apply`, headers: { cookie: s.cookie } })
      const challenge = hidden(page.body, 'powChallenge')
      const online = await t.app.inject({
        method: 'POST',
        url: `/agencies/${t.officeId}/apply`,
        headers: post(s.cookie),
        payload: form({
          _csrf: s.csrf,
          ...citizen,
          idem: hidden(page.body, 'idem'),
          powChallenge: challenge,
          powNonce: solveChallenge(challenge),
        }),
      })
      expect(online.statusCode).toBe(200)
      expect(/id="tracking-number">([^<]+)</.exec(online.body)?.[1]).toMatch(/^YSQ20260302\d{6}$/)

      // Signed for on Friday 27 February, registered on Monday 2 March (art. 31(二)).
      const handler = await signIn(t.app, await buildStaff(t.deps, { roles: ['handler'] }))
      const registered = await t.app.inject({
        method: 'POST',
        url: '/console/applications',
        headers: post(handler.cookie),
        payload: form({ _csrf: handler.csrf, ...citizen, channel: 'mail_signed', receivedOn: '2026-02-27' }),
      })
      expect(registered.statusCode).toBe(303)
      const id = Number(registered.headers.location!.replace(/\?.*$/, '').split('/').pop())
      const row = await t.deps.db
        .selectFrom('applications')
        .select(['number', 'received_on'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      expect(row.received_on).toBe('2026-02-27')
      expect(row.number).toMatch(/^YSQ20260227\d{6}$/)
    } finally {
      await t.close()
    }
  })
})
