import { afterEach, describe, expect, test } from 'vitest'
import { bodySanitiserVersion, shownBodyKey } from '../src/disclosures/rich-text.ts'
import { publicContentChanged } from '../src/portal/public-content.ts'
import { buildItem } from './support/build-item.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #15: an item page no longer runs the sanitiser on every render. The page body is kept on the item's row
// with the key it was made for (the sanitiser's version and the body's hash): a body changed by any path, or a
// sanitiser changed since, is made again — never shown from the HTML kept before.

describe.each(databaseKinds)("an item page's body on %s", (kind) => {
  let t: TestApp | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })
  const page = async (id: number) => {
    const res = await t!.app.inject({ url: `/items/${id}` })
    expect(res.statusCode).toBe(200)
    return res.body
  }
  const kept = (id: number) =>
    t!.deps.db
      .selectFrom('items')
      .select(['shown_body', 'shown_body_key'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  /** A change made outside the item's use cases (an operator's correction, an older version's import). */
  const changeRow = async (id: number, set: Record<string, string>) => {
    await t!.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('items').set(set).where('id', '=', id).execute()
      await publicContentChanged(trx)
    })
  }

  test('an item edited after publication shows its new body, not the page body kept from before', async () => {
    t = await testApp(kind)
    const { id } = await buildItem(t.deps, { until: 'published', body: '<p>原来的<strong>正文</strong></p>' })
    // Made at publication, with its key, so that the first visitor's request writes nothing.
    expect(await kept(id)).toEqual({
      shown_body: '<p>原来的<strong>正文</strong></p>',
      shown_body_key: shownBodyKey('<p>原来的<strong>正文</strong></p>'),
    })
    expect(await page(id)).toContain('<p>原来的<strong>正文</strong></p>')
    expect(await kept(id)).toEqual({
      shown_body: '<p>原来的<strong>正文</strong></p>',
      shown_body_key: shownBodyKey('<p>原来的<strong>正文</strong></p>'),
    })
    await changeRow(id, { body: '<p>更正后的<em>正文</em></p>' })
    const edited = await page(id)
    expect(edited).toContain('<p>更正后的<em>正文</em></p>')
    expect(edited).not.toContain('原来的')
    expect((await kept(id)).shown_body).toBe('<p>更正后的<em>正文</em></p>')
  })

  test('a body with a <script> is stripped on the page, also when its kept page body was made by an older sanitiser', async () => {
    t = await testApp(kind)
    const { id } = await buildItem(t.deps, {
      until: 'published',
      body: '<p onclick="steal()">通知正文</p><script>alert(document.cookie)</script>',
    })
    const first = await page(id)
    expect(first).toContain('<p>通知正文</p>')
    expect(first).not.toMatch(/alert\(document\.cookie\)|onclick/)
    // A body stored unsanitised (an import of an older version) with the HTML an older sanitiser kept for it.
    const raw = '<p>旧站正文</p><script>alert(document.cookie)</script><img src=x onerror="steal()">'
    await changeRow(id, {
      body: raw,
      shown_body: raw,
      shown_body_key: `${bodySanitiserVersion - 1}:${shownBodyKey(raw).split(':')[1]}`,
    })
    const again = await page(id)
    expect(again).toContain('<p>旧站正文</p>')
    expect(again).not.toMatch(/alert\(document\.cookie\)|onerror|<script>alert/)
    expect(await kept(id)).toEqual({ shown_body: '<p>旧站正文</p>', shown_body_key: shownBodyKey(raw) })
  })
})
