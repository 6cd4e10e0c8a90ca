import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { findAgencyById } from '../agencies/agency.store.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { readSetting, writeSetting } from '../settings/settings.store.ts'
import type { Executor } from '../storage/database.ts'
import type { ComputeOptions } from './report-compute.ts'

// The region's counting rules for computed reports, set by the supervising office. Section 四 (行政复议、行政诉讼):
// whether a case filed in one year and decided in the next is counted by its filing year only (its state at
// 31 December: 尚未审结) or also in the year it is concluded, with its result (law-and-format.md §2.6 [U]:
// practice varies by province, "make it a setting").

export const appealsCountings = ['filingYear', 'conclusionYear'] as const
export type AppealsCounting = (typeof appealsCountings)[number]

export const appealsCountingLabels: Record<AppealsCounting, string> = {
  filingYear: '按立案（申请）年度统计：案件只计入收到复议申请或起诉的年度，年末未审结的计为"尚未审结"',
  conclusionYear: '按审结年度统计：案件计入审结的年度并按结果归类；立案当年年末未审结的，在立案年度计为"尚未审结"',
}

const key = 'reports.appealsCountedBy'

export async function readAppealsCounting(db: Executor): Promise<AppealsCounting> {
  const value = await readSetting(db, key)
  return value === 'conclusionYear' ? 'conclusionYear' : 'filingYear'
}

/** The section 四 scope `computeReport` takes for the region's setting. */
export async function appealsScopeOf(db: Executor): Promise<NonNullable<ComputeOptions['appealsScope']>> {
  return (await readAppealsCounting(db)) === 'conclusionYear' ? 'filedOrConcludedInYear' : 'filedInYear'
}

/** The supervising office's 公开办负责人 chooses the region's section 四 counting; audited. */
export async function saveAppealsCounting(deps: Deps, actor: StaffActor, value: string): Promise<void> {
  if (!(appealsCountings as readonly string[]).includes(value))
    throw new AppError('invalid_input', '请选择第四部分的统计口径', { appealsCountedBy: '请选择第四部分的统计口径' })
  const agency = await findAgencyById(deps.db, actor.agencyId)
  if (!agency?.isSupervising) throw new AppError('forbidden', '只有主管部门的公开办负责人可以设置全区域的统计口径')
  await deps.db.transaction().execute(async (trx) => {
    const before = await readAppealsCounting(trx)
    await writeSetting(trx, key, value, actor.id, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'reports.appeals_counting',
      objectType: 'setting',
      objectId: key,
      result: 'success',
      detail: { before, after: value },
    })
  })
}
