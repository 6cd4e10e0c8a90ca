import { z } from 'zod'
import { createAccount } from '../accounts/account.service.ts'
import { displayNameField, usernameField } from '../accounts/account.ts'
import { agencyForm, regionName } from '../agencies/agency.ts'
import { findRegion, insertAgency, insertRegion } from '../agencies/agency.store.ts'
import { assertAgencyIsNew } from '../agencies/agency.service.ts'
import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import { seedColumns } from '../disclosures/disclosure.store.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { publicContentChanged } from '../portal/public-content.ts'

// First run: the region, its supervising office (itself an agency) and the 系统管理员, in one
// transaction. After it, /setup is gone.

export const setupForm = z.object({
  regionName,
  officeName: agencyForm.shape.name,
  officeCreditCode: agencyForm.shape.creditCode,
  officeLevel: agencyForm.shape.level,
  adminUsername: usernameField,
  adminName: displayNameField,
})
export type SetupInput = z.infer<typeof setupForm>

export const isSetUp = async (deps: Pick<Deps, 'db'>): Promise<boolean> => (await findRegion(deps.db)) !== undefined

export async function performSetup(
  deps: Deps,
  input: SetupInput,
  ip: string,
): Promise<{ username: string; temporaryPassword: string }> {
  return deps.db.transaction().execute(async (trx) => {
    if (await findRegion(trx)) throw new AppError('not_found', '系统已完成初始化')
    const at = isoNow(deps.clock)
    const regionId = await insertRegion(trx, input.regionName, at)
    const office = {
      name: input.officeName,
      creditCode: input.officeCreditCode,
      level: input.officeLevel,
      kind: '政府办公室' as const,
      parentId: null,
    }
    await assertAgencyIsNew(trx, regionId, office)
    const agencyId = await insertAgency(trx, regionId, office, true, at)
    await seedColumns(trx, agencyId, at)
    const actor: Actor = { id: null, name: '初始化向导', roles: [], agencyId, ip }
    await appendAudit(deps, trx, actor, {
      action: 'setup',
      objectType: 'region',
      objectId: regionId,
      result: 'success',
      detail: { region: input.regionName, office: input.officeName },
    })
    const { temporaryPassword } = await createAccount(
      deps,
      actor,
      {
        agencyId,
        username: input.adminUsername,
        displayName: input.adminName,
        roles: [{ role: 'sysadmin', reviewLevel: null }],
      },
      'operator',
      trx,
    )
    // The portal shows the region's name and its agencies.
    await publicContentChanged(trx)
    return { username: input.adminUsername, temporaryPassword }
  })
}
