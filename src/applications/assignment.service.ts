import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { assertHoldsRole } from '../accounts/authority.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { findOwnApplication } from './application.policy.ts'
import { updateApplication } from './application.store.ts'

// 领办: a handler takes an unassigned application of the agency and becomes its handler, who alone (with the office
// head) sees the applicant's personal data (application.ts maySeePersonalData). The first step a handler records
// takes it too (application.service.ts changeApplication); this is the explicit way, from the 工作台 or the page.

export async function takeApplication(deps: Deps, actor: StaffActor, id: number): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await assertHoldsRole(trx, actor, ['handler'], '领办申请')
    const application = await findOwnApplication(deps, actor, id, trx)
    if (application.status === 'concluded') throw new AppError('invalid_transition', '申请已办结，无需领办')
    if (application.handler_id === actor.id) return
    if (application.handler_id !== null) throw new AppError('conflict', '该申请已由其他办理人领办')
    await updateApplication(trx, id, { handler_id: actor.id, updated_at: isoNow(deps.clock) })
    await appendAudit(deps, trx, actor, {
      action: 'application.take',
      objectType: 'application',
      objectId: application.number,
      result: 'success',
    })
  })
}
