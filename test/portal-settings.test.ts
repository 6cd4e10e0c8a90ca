import { afterEach, describe, expect, test } from 'vitest'
import { createAgency } from '../src/agencies/agency.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { addChannel } from '../src/disclosures/channels.service.ts'
import { addColumn, renameColumn } from '../src/disclosures/columns.service.ts'
import { listColumns } from '../src/disclosures/disclosure.store.ts'
import { publicGuideOf, saveGuideSettings, saveIndexFormat } from '../src/disclosures/settings.service.ts'
import { onPublicContentChanged, siteGeneration } from '../src/portal/public-content.ts'
import { buildStaff, setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'
import type { TestEnv } from './support/test-deps.ts'

// A setting the public portal shows is saved by one use case: the setting, its audit entry and the
// portal's change mark commit together, so the portal's cache drops its pages without any hook of
// the web layer.

const guide = {
  officeName: '垫江县司法局办公室',
  address: '垫江县桂溪街道人民东路 1 号',
  postcode: '408300',
  hours: '工作日 9:00—12:00，14:00—17:00',
  phone: '023-74000000',
  fax: '',
  email: '',
  notes: '',
}

describe.each(databaseKinds)('settings shown on the portal, on %s', (kind) => {
  let t: TestEnv | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  test('saving the guide, the index format, a channel or a column is audited and tells the portal cache at once', async () => {
    t = await testEnv(kind)
    const { officeId } = await setUpRegion(t.deps)
    const head = await buildStaff(t.deps, { roles: ['office_head'] })
    const actor = { ...systemActor('办公室主任'), id: head.id, agencyId: officeId }
    let heard = 0
    const stop = onPublicContentChanged(() => heard++)
    try {
      const step = async (run: () => Promise<unknown>) => {
        const before = await siteGeneration(t!.deps.db)
        const heardBefore = heard
        await run()
        expect(await siteGeneration(t!.deps.db)).toBe(before + 1)
        expect(heard).toBe(heardBefore + 1)
      }
      await step(() => saveGuideSettings(t!.deps, actor, guide))
      await step(() => saveIndexFormat(t!.deps, actor, { prefix: 'org', period: 'month' }))
      await step(() => addChannel(t!.deps, actor, { name: '“垫江政务”微信公众号', kind: 'wechat' }))
      const id = await addColumn(t!.deps, actor, { name: '普法动态', class: 'news' })
      await step(() => renameColumn(t!.deps, actor, id, '普法宣传'))
      await step(() =>
        createAgency(t!.deps, systemActor(), {
          name: '垫江县司法局',
          creditCode: '11500231MB1530120U',
          level: '县级',
          kind: '政府部门',
          parentId: officeId,
        }),
      )
    } finally {
      stop()
    }

    expect((await publicGuideOf(t.deps, officeId)).guide?.address).toBe(guide.address)
    expect((await listColumns(t.deps.db, officeId)).some((c) => c.name === '普法宣传')).toBe(true)
    const actions = (await searchAudit(t.deps, {}, 1)).map((r) => r.action)
    for (const action of ['guide.update', 'index_format.update', 'channel.create', 'column.create', 'column.rename'])
      expect(actions).toContain(action)
  })

  test('a refused channel or column changes nothing and leaves the portal cache alone', async () => {
    t = await testEnv(kind)
    const { officeId } = await setUpRegion(t.deps)
    const head = await buildStaff(t.deps, { roles: ['office_head'] })
    const actor = { ...systemActor('办公室主任'), id: head.id, agencyId: officeId }
    await addChannel(t.deps, actor, { name: '“垫江政务”微信公众号', kind: 'wechat' })
    const before = await siteGeneration(t.deps.db)
    await expect(addChannel(t.deps, actor, { name: '“垫江政务”微信公众号', kind: 'other' })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { name: '已有同名渠道' },
    })
    await expect(addColumn(t.deps, actor, { name: '部门动态', class: 'news' })).rejects.toMatchObject({
      fields: { name: '同级已有同名栏目' },
    })
    await expect(renameColumn(t.deps, actor, 99_999, '新名称')).rejects.toMatchObject({
      fields: { name: '栏目不存在' },
    })
    expect(await siteGeneration(t.deps.db)).toBe(before)
  })
})
