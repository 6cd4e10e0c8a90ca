import { describe, expect, test } from 'vitest'
import { systemActor } from '../src/audit/audit.ts'
import { findOwnItem, publishItem, withdrawItem } from '../src/disclosures/disclosure.service.ts'
import { testApp } from './support/app.ts'
import { buildActor, buildItem } from './support/build-item.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { databaseKinds } from './support/test-deps.ts'

// 先审后发: only a publisher publishes what every review level approved (条例 art. 17 assigns the
// review before release; the platform gives the act of publishing to the 发布人 role). The route
// table refuses everyone else, and so does the use case itself, whoever calls it.

describe.each(databaseKinds)('who may publish, on %s', (kind) => {
  test('a drafter cannot publish an approved item through the console: 403, and it stays unpublished', async () => {
    const t = await testApp(kind)
    try {
      const item = await buildItem(t.deps, { until: 'approved' })
      const drafter = await signIn(t.app, await buildStaff(t.deps, { roles: ['drafter'] }))
      const res = await t.app.inject({
        method: 'POST',
        url: `/console/items/${item.id}/publish`,
        headers: { cookie: drafter.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: drafter.csrf }),
      })
      expect(res.statusCode).toBe(403)
      expect(res.body).toContain('您没有执行此操作的权限')
      const stored = await findOwnItem(t.deps, await buildActor(t.deps, ['publisher']), item.id)
      expect(stored.status).toBe('approved')
      expect((await t.app.inject(`/items/${item.id}`)).statusCode).toBe(404)
    } finally {
      await t.close()
    }
  })

  test('the publishing use case refuses a drafter, and anyone without a stored publisher grant', async () => {
    const t = await testApp(kind)
    try {
      const item = await buildItem(t.deps, { until: 'approved' })
      const drafter = await buildActor(t.deps, ['drafter'])
      await expect(publishItem(t.deps, drafter, item.id)).rejects.toMatchObject({
        code: 'forbidden',
        message: '只有发布人可以发布信息。',
      })
      // An actor that merely claims the role (the scheduler, the CLI) is checked against the grants.
      const claimed = { ...drafter, roles: ['publisher'] }
      await expect(publishItem(t.deps, claimed, item.id)).rejects.toMatchObject({ code: 'forbidden' })
      const cli = { ...systemActor(), id: null, agencyId: item.agencyId }
      await expect(publishItem(t.deps, cli as never, item.id)).rejects.toMatchObject({ code: 'forbidden' })
      const publisher = await buildActor(t.deps, ['publisher'])
      expect((await findOwnItem(t.deps, publisher, item.id)).status).toBe('approved')
      expect(await publishItem(t.deps, publisher, item.id)).toEqual({ published: true })
      // Withdrawal is the publisher's or the office head's; a drafter cannot take an item down either.
      await expect(withdrawItem(t.deps, drafter, item.id, '误发')).rejects.toMatchObject({ code: 'forbidden' })
      expect((await findOwnItem(t.deps, publisher, item.id)).status).toBe('published')
    } finally {
      await t.close()
    }
  })
})
