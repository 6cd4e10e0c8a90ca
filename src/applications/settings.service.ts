import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { deleteSetting, readSetting, writeSetting } from '../settings/settings.store.ts'
import { findRegionName } from './application.store.ts'
import { letterKinds } from './letter.ts'
import type { LetterKind } from './letter.ts'

// The office head's settings for disclosure on request: where reconsideration is applied for (it
// appears in every letter's appeal rights), when an applicant counts as frequent (art. 35 flag),
// and the agency's own letter templates (the receipt has none).

export type TemplateKind = Exclude<LetterKind, 'receipt'>
export const templateKinds = (Object.keys(letterKinds) as LetterKind[]).filter(
  (k): k is TemplateKind => k !== 'receipt',
)

export type ApplicationSettings = {
  reconsiderationBody: string
  frequentThreshold: number
  /** The agency's own template of each letter kind; an empty one means the platform's standard template. */
  templates: Record<TemplateKind, string>
}

const keyOf = (agencyId: number, name: 'reconsiderationBody' | 'frequentThreshold' | TemplateKind) =>
  name === 'frequentThreshold' ? `requests.${agencyId}.frequentThreshold` : `letters.${agencyId}.${name}`

/** The agency's settings as they stand, with the defaults the letters and the flag use. */
export async function readApplicationSettings(deps: Deps, actor: StaffActor): Promise<ApplicationSettings> {
  const agencyId = actor.agencyId
  const region = await findRegionName(deps.db)
  const template = async (k: TemplateKind) => (await readSetting(deps.db, keyOf(agencyId, k))) ?? ''
  const templates: Record<TemplateKind, string> = {
    correction: await template('correction'),
    consultation: await template('consultation'),
    extension: await template('extension'),
    fee: await template('fee'),
    delay: await template('delay'),
    decision: await template('decision'),
  }
  return {
    reconsiderationBody:
      (await readSetting(deps.db, keyOf(agencyId, 'reconsiderationBody'))) ?? `${region ?? ''}人民政府`,
    frequentThreshold: Number((await readSetting(deps.db, keyOf(agencyId, 'frequentThreshold'))) ?? '10'),
    templates,
  }
}

/** Saves the agency's settings together with their audit entry. */
export async function saveApplicationSettings(
  deps: Deps,
  actor: StaffActor,
  input: ApplicationSettings,
): Promise<void> {
  const agencyId = actor.agencyId
  await deps.db.transaction().execute(async (trx) => {
    const at = isoNow(deps.clock)
    await writeSetting(trx, keyOf(agencyId, 'reconsiderationBody'), input.reconsiderationBody, actor.id, at)
    await writeSetting(trx, keyOf(agencyId, 'frequentThreshold'), String(input.frequentThreshold), actor.id, at)
    for (const k of templateKinds) {
      const text = input.templates[k].trim()
      if (text) await writeSetting(trx, keyOf(agencyId, k), text, actor.id, at)
      else await deleteSetting(trx, keyOf(agencyId, k))
    }
    await appendAudit(deps, trx, actor, {
      action: 'requests.settings',
      objectType: 'agency',
      objectId: agencyId,
      result: 'success',
      detail: {
        reconsiderationBody: input.reconsiderationBody,
        frequentThreshold: input.frequentThreshold,
        templates: templateKinds.filter((k) => input.templates[k].trim()),
      },
    })
  })
}
