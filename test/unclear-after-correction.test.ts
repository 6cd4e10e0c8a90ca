import { describe, expect, test } from 'vitest'
import { receiveCorrection, requestCorrection } from '../src/applications/application.service.ts'
import { findOwnApplication } from '../src/applications/application.policy.ts'
import { decideApplication } from '../src/applications/decision.service.ts'
import { buildApplication, buildStaffActor } from './support/build-application.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

// 三（四）3 "补正后申请内容仍不明确" is a result of the 补正 procedure (条例 art. 30): an unclear application is
// first sent back for correction; only when the corrected one is still unclear may it be closed so.

const unclear = { outcome: 'UNABLE_UNCLEAR', replyType: '2', basis: '补正后仍未写明所需信息的名称或文号' }

describe.each(databaseKinds)('closing as "still unclear after 补正" on %s', (kind) => {
  test('条例 art. 30: refused without a 补正 asked for and answered; allowed once the corrected application came in', async () => {
    const t = await testEnv(kind)
    try {
      const handler = await buildStaffActor(t.deps, { roles: ['handler'] })
      const application = await buildApplication(t.deps, { receivedOn: '2026-03-02' })
      await expect(
        decideApplication(t.deps, handler, application.id, { on: '2026-03-02', ...unclear }),
      ).rejects.toMatchObject({
        code: 'invalid_transition',
        fields: { outcome: expect.stringContaining('尚未要求补正') },
      })
      await requestCorrection(t.deps, handler, application.id, {
        on: '2026-03-02',
        correctBy: '2026-03-16',
        what: '请写明所需文件的名称或文号',
      })
      // Asked but not yet answered: the application waits for the applicant, it cannot be closed as unclear.
      await expect(
        decideApplication(t.deps, handler, application.id, { on: '2026-03-02', ...unclear }),
      ).rejects.toThrow()
      t.clock.set('2026-03-05T02:00:00Z')
      await receiveCorrection(t.deps, handler, application.id, { on: '2026-03-05' })
      await decideApplication(t.deps, handler, application.id, { on: '2026-03-05', ...unclear })
      const stored = await findOwnApplication(t.deps, handler, application.id)
      expect(stored.outcome).toBe('UNABLE_UNCLEAR')
    } finally {
      await t.close()
    }
  })
})
