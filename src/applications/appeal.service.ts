import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { clampPage, offsetOf, pageSize } from '../paging.ts'
import type { AppealRecord } from '../reports/report-records.ts'
import { readSetting } from '../settings/settings.store.ts'
import type { Executor } from '../storage/database.ts'
import { shanghaiDate } from './application.ts'
import {
  countAppeals,
  findAgencyAppeal,
  findAgencyApplicationId,
  insertAppeal,
  listAppeals,
  listAppealsPage,
  updateAppeal,
} from './appeal.store.ts'
import type { AppealFilter } from './appeal.store.ts'

// Administrative reconsideration and litigation over this agency's disclosure work (条例 art. 51),
// recorded against the applications they concern. The raw result is kept as decided; the report's
// column (维持 / 纠正 / 其他) comes from a mapping that is a setting (law-and-format.md §2.6 [P/U]).

export const appealKinds = {
  reconsideration: '行政复议',
  litigationDirect: '行政诉讼（未经复议直接起诉）',
  litigationAfterReconsideration: '行政诉讼（复议后起诉）',
} as const
export type AppealKind = keyof typeof appealKinds

export const rawResults = [
  '维持',
  '驳回复议申请',
  '驳回诉讼请求',
  '撤销',
  '变更',
  '确认违法',
  '责令履行',
  '终止',
  '撤回',
  '调解',
  '驳回起诉',
  '其他',
] as const
export const defaultResultMapping: Record<string, 'upheld' | 'corrected' | 'other'> = {
  维持: 'upheld',
  驳回复议申请: 'upheld',
  驳回诉讼请求: 'upheld',
  撤销: 'corrected',
  变更: 'corrected',
  确认违法: 'corrected',
  责令履行: 'corrected',
  终止: 'other',
  撤回: 'other',
  调解: 'other',
  驳回起诉: 'other',
  其他: 'other',
}

export async function mappingOf(db: Executor): Promise<Record<string, 'upheld' | 'corrected' | 'other'>> {
  const own = await readSetting(db, 'appeals.resultMapping')
  return own
    ? { ...defaultResultMapping, ...(JSON.parse(own) as Record<string, 'upheld' | 'corrected' | 'other'>) }
    : defaultResultMapping
}

export async function recordAppeal(
  deps: Deps,
  actor: StaffActor,
  input: { kind: AppealKind; filedOn: string; applicationNumber?: string | undefined; note?: string | undefined },
): Promise<number> {
  if (!(input.kind in appealKinds)) throw new AppError('invalid_input', '请选择类型', { kind: '请选择类型' })
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.filedOn) || input.filedOn > shanghaiDate(deps.clock.now()))
    throw new AppError('invalid_input', '立案（受理）日期无效或晚于今天', { filedOn: '日期无效或晚于今天' })
  return deps.db.transaction().execute(async (trx) => {
    let applicationId: number | null = null
    if (input.applicationNumber) {
      applicationId = (await findAgencyApplicationId(trx, actor.agencyId, input.applicationNumber.trim())) ?? null
      if (applicationId === null)
        throw new AppError('invalid_input', '本机关没有这个申请编号', { applicationNumber: '本机关没有这个申请编号' })
    }
    const id = await insertAppeal(trx, {
      agency_id: actor.agencyId,
      application_id: applicationId,
      kind: input.kind,
      filed_on: input.filedOn,
      raw_result: null,
      concluded_on: null,
      note: input.note?.trim() || null,
      created_at: isoNow(deps.clock),
    })
    await appendAudit(deps, trx, actor, {
      action: 'appeal.record',
      objectType: 'appeal',
      objectId: id,
      result: 'success',
      detail: { kind: input.kind, filedOn: input.filedOn, applicationId },
    })
    return id
  })
}

export async function concludeAppeal(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { rawResult: string; concludedOn: string },
): Promise<void> {
  if (!(rawResults as readonly string[]).includes(input.rawResult))
    throw new AppError('invalid_input', '请选择审结结果', { rawResult: '请选择审结结果' })
  await deps.db.transaction().execute(async (trx) => {
    const row = await findAgencyAppeal(trx, actor.agencyId, id)
    if (!row) throw new AppError('not_found', '案件不存在')
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(input.concludedOn) ||
      input.concludedOn < row.filed_on ||
      input.concludedOn > shanghaiDate(deps.clock.now())
    )
      throw new AppError('invalid_input', '审结日期应在立案日期之后、今天之前', { concludedOn: '日期无效' })
    await updateAppeal(trx, id, { raw_result: input.rawResult, concluded_on: input.concludedOn })
    await appendAudit(deps, trx, actor, {
      action: 'appeal.conclude',
      objectType: 'appeal',
      objectId: id,
      result: 'success',
      detail: input,
    })
  })
}

export type AppealsView = {
  /** One page of the cases (50), with the number the filtered list holds. */
  cases: Awaited<ReturnType<typeof listAppeals>>
  total: number
  page: number
  mapping: Record<string, 'upheld' | 'corrected' | 'other'>
}

/** One page of the agency's cases, filtered, with the mapping that puts each result in a report column. */
export async function agencyAppeals(
  deps: Deps,
  actor: StaffActor,
  filter: AppealFilter = {},
  page = 1,
): Promise<AppealsView> {
  const total = await countAppeals(deps.db, actor.agencyId, filter)
  const p = clampPage(page, total)
  const cases = await listAppealsPage(deps.db, actor.agencyId, filter, { limit: pageSize, offset: offsetOf(p) })
  return { cases, total, page: p, mapping: await mappingOf(deps.db) }
}

/** The agency's cases as the report engine counts them. */
export async function loadAppealRecords(db: Executor, agencyId: number): Promise<AppealRecord[]> {
  const mapping = await mappingOf(db)
  return (await listAppeals(db, agencyId)).map((r) => ({
    id: r.id,
    kind: r.kind as AppealKind,
    filedOn: r.filed_on,
    concludedOn: r.concluded_on,
    result: r.raw_result ? (mapping[r.raw_result] ?? 'other') : null,
  }))
}
