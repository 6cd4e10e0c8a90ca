import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { listUnits } from '../agencies/agency.store.ts'
import type { Unit } from '../agencies/agency.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { publicContentChanged } from '../portal/public-content.ts'
import { readSetting, writeSetting } from '../settings/settings.store.ts'
import { countPublications } from './counts.ts'
import type { Counts } from './counts.ts'
import { insertChannel, listChannels } from './disclosure.store.ts'

// Channels (门户网站, WeChat accounts by name, 信用网站, 政务服务平台, 政府公报 …), the period counts
// a 总体情况 states, and the units' information quotas (信息报送, e.g. one item a month).

export const channelsOf = (deps: Deps, agencyId: number) => listChannels(deps.db, agencyId)

/** Adds a publication channel of the actor's agency; a second channel of the same name is refused. */
export async function addChannel(deps: Deps, actor: StaffActor, input: { name: string; kind: string }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if ((await listChannels(trx, actor.agencyId)).some((c) => c.name === input.name)) {
      throw new AppError('invalid_input', '已有同名渠道', { name: '已有同名渠道' })
    }
    const id = await insertChannel(trx, {
      agency_id: actor.agencyId,
      name: input.name,
      kind: input.kind,
      created_at: isoNow(deps.clock),
    })
    await appendAudit(deps, trx, actor, {
      action: 'channel.create',
      objectType: 'channel',
      objectId: id,
      result: 'success',
      detail: input,
    })
    await publicContentChanged(trx)
  })
}

export const publicationCountsOf = (deps: Deps, agencyId: number, from: string, to: string): Promise<Counts> =>
  countPublications(deps.db, agencyId, from, to)

export type QuotaOverview = {
  year: number
  perMonth: number
  units: Unit[]
  months: string[]
  /** Items published by unit and month, keyed `unit name|YYYY-MM`. */
  counted: Map<string, number>
}

const readPerMonth = async (deps: Deps, agencyId: number) =>
  Number(JSON.parse((await readSetting(deps.db, `quota:${agencyId}`)) ?? '{"perMonth":1}').perMonth)

/** Each unit's published items per month of a year beside the agency's monthly quota. */
export async function quotaOverviewOf(deps: Deps, agencyId: number, year: number): Promise<QuotaOverview> {
  const perMonth = await readPerMonth(deps, agencyId)
  const units = await listUnits(deps.db, agencyId)
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
  const counted = new Map<string, number>()
  for (const m of months) {
    const last = new Date(Date.UTC(year, Number(m.slice(5)), 0)).getUTCDate()
    const c = await countPublications(deps.db, agencyId, `${m}-01`, `${m}-${last}`)
    for (const u of c.byUnit) counted.set(`${u.name}|${m}`, u.items)
  }
  return { year, perMonth, units, months, counted }
}

/** Saves the agency's monthly information quota of its units, with its audit entry. */
export async function saveQuota(deps: Deps, actor: StaffActor, quota: { perMonth: number }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await writeSetting(trx, `quota:${actor.agencyId}`, JSON.stringify(quota), actor.id, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'quota.update',
      objectType: 'agency',
      objectId: actor.agencyId,
      result: 'success',
      detail: quota,
    })
  })
}
