import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import { seedColumns } from '../disclosures/disclosure.store.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import type { Executor } from '../storage/database.ts'
import { publicContentChanged } from '../portal/public-content.ts'
import type { Agency, AgencyInput, Unit, UnitInput } from './agency.ts'
import {
  findAgencyByCreditCode,
  findAgencyById,
  findAgencyByName,
  findRegion,
  findUnitByName,
  insertAgency,
  insertUnit,
  listAgencies,
  listUnits,
} from './agency.store.ts'

/** Checks that an agency may be added to the region; throws a form error naming the field. */
export async function assertAgencyIsNew(trx: Executor, regionId: number, input: AgencyInput): Promise<void> {
  if (await findAgencyByCreditCode(trx, input.creditCode)) {
    throw new AppError('conflict', '该统一社会信用代码已登记', { creditCode: '该统一社会信用代码已登记为另一机关' })
  }
  if (await findAgencyByName(trx, regionId, input.name)) {
    throw new AppError('conflict', '该机关已登记', { name: '本区域已有同名机关' })
  }
  if (input.parentId !== null && !(await findAgencyById(trx, input.parentId))) {
    throw new AppError('invalid_input', '上级机关不存在', { parentId: '请选择已登记的上级机关' })
  }
}

export async function createAgency(deps: Deps, actor: Actor, input: AgencyInput): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const region = await findRegion(trx)
    if (!region) throw new AppError('invalid_transition', '尚未完成初始化，请先访问 /setup')
    await assertAgencyIsNew(trx, region.id, input)
    const id = await insertAgency(trx, region.id, input, false, isoNow(deps.clock))
    // Every agency starts with the standard column tree (issue #4), editable afterwards.
    await seedColumns(trx, id, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'agency.create',
      objectType: 'agency',
      objectId: id,
      result: 'success',
      detail: { name: input.name },
    })
    // The portal lists the region's agencies.
    await publicContentChanged(trx)
    return id
  })
}

export async function createUnit(deps: Deps, actor: Actor, agencyId: number, input: UnitInput): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await findAgencyById(trx, agencyId))) throw new AppError('not_found', '机关不存在')
    if (await findUnitByName(trx, agencyId, input.name)) {
      throw new AppError('conflict', '该单位已登记', { name: '本机关已有同名单位' })
    }
    const id = await insertUnit(trx, agencyId, input, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'unit.create',
      objectType: 'unit',
      objectId: id,
      result: 'success',
      detail: { agencyId, name: input.name },
    })
    return id
  })
}

export const agencyOf = (deps: Deps, id: number): Promise<Agency | undefined> => findAgencyById(deps.db, id)

export const agenciesOf = (deps: Deps): Promise<Agency[]> => listAgencies(deps.db)

/** An agency with its units (科室 and subordinate institutions). */
export async function agencyWithUnitsOf(deps: Deps, id: number): Promise<{ agency: Agency; units: Unit[] }> {
  const agency = await findAgencyById(deps.db, id)
  if (!agency) throw new AppError('not_found', '机关不存在')
  return { agency, units: await listUnits(deps.db, id) }
}
