import type { Actor, StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { deleteSetting, readSetting, writeSetting } from '../settings/settings.store.ts'
import type { Executor } from '../storage/database.ts'
import { findAgencyPlace, findRegionName } from './application.store.ts'
import { letterKinds } from './letter.ts'
import type { LetterKind } from './letter.ts'
import { defaultReconsiderationBody, verticalSystems } from './reconsideration.ts'
import type { VerticalSystem } from './reconsideration.ts'

// The office head's settings for disclosure on request: where reconsideration is applied for (it
// appears in every decision's remedies; by default the body 行政复议法 art. 24 gives the agency's
// place in the region, named by the office head for a vertically managed organ, art. 27), when an
// applicant counts as frequent (art. 35 flag), the pattern of the 文号 its letters are issued
// under, how a processing fee is paid (缴纳方式, printed in every fee notice, 国办函〔2020〕109号),
// and the agency's own letter templates (the receipt has none).

export type TemplateKind = Exclude<LetterKind, 'receipt'>
export const templateKinds = (Object.keys(letterKinds) as LetterKind[]).filter(
  (k): k is TemplateKind => k !== 'receipt',
)

export type ApplicationSettings = {
  /** The 复议机关 the letters name; empty on saving means the art. 24 default. */
  reconsiderationBody: string
  /** The system of a vertically managed organ (art. 27), or '' for an agency of the region. */
  verticalSystem: VerticalSystem | ''
  frequentThreshold: number
  /** The pattern of the 文号 letters are issued under, e.g. 垫司公开〔{year}〕{n}号; empty: none. */
  referencePattern: string
  /** 缴纳方式 of the processing fee (account, bank, 非税收入缴款 …); a fee notice is refused while empty (109号). */
  feePayment: string
  /** The agency's own template of each letter kind; an empty one means the platform's standard template. */
  templates: Record<TemplateKind, string>
}

const keyOf = (
  agencyId: number,
  name:
    'reconsiderationBody' | 'verticalSystem' | 'referencePattern' | 'frequentThreshold' | 'feePayment' | TemplateKind,
) => (name === 'frequentThreshold' ? `requests.${agencyId}.frequentThreshold` : `letters.${agencyId}.${name}`)

const isVertical = (v: string | undefined): v is VerticalSystem => !!v && Object.hasOwn(verticalSystems, v)

async function defaultBodyOf(db: Executor, agencyId: number, vertical: string | undefined) {
  const place = await findAgencyPlace(db, agencyId)
  return defaultReconsiderationBody(place, await findRegionName(db), isVertical(vertical) ? vertical : undefined)
}

/** The 复议机关 a letter of the agency names: the office head's choice, else the art. 24 default. */
export async function reconsiderationBodyOf(db: Executor, agencyId: number): Promise<string | undefined> {
  const named = await readSetting(db, keyOf(agencyId, 'reconsiderationBody'))
  return named ?? (await defaultBodyOf(db, agencyId, await readSetting(db, keyOf(agencyId, 'verticalSystem'))))
}

/** The agency's 缴纳方式 of the processing fee, or undefined when the office head has not set it (109号). */
export async function feePaymentOf(db: Executor, agencyId: number): Promise<string | undefined> {
  return (await readSetting(db, keyOf(agencyId, 'feePayment')))?.trim() || undefined
}

/** 国办函〔2020〕109号: a fee notice states how to pay; without the agency's 缴纳方式 none is drafted or issued. */
export async function mustHaveFeePayment(db: Executor, agencyId: number): Promise<string> {
  const payment = await feePaymentOf(db, agencyId)
  if (!payment)
    throw new AppError(
      'invalid_input',
      '收费通知书须写明缴纳方式（国办函〔2020〕109号）。请公开办负责人先在“依申请公开设置”中填写信息处理费的缴纳方式（收款账户、开户银行或非税收入缴款方式等）',
    )
  return payment
}

/** Sets the agency's 缴纳方式 alone (109号), with its audit entry: for the demo data and the tests. */
export async function saveFeePayment(deps: Deps, actor: Actor & { agencyId: number }, payment: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await writeSetting(trx, keyOf(actor.agencyId, 'feePayment'), payment.trim(), actor.id, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'requests.settings',
      objectType: 'agency',
      objectId: actor.agencyId,
      result: 'success',
      detail: { feePayment: true },
    })
  })
}

/** The agency's settings as they stand, with the defaults the letters and the flag use. */
export async function readApplicationSettings(deps: Deps, actor: StaffActor): Promise<ApplicationSettings> {
  const agencyId = actor.agencyId
  const vertical = await readSetting(deps.db, keyOf(agencyId, 'verticalSystem'))
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
    reconsiderationBody: (await reconsiderationBodyOf(deps.db, agencyId)) ?? '',
    verticalSystem: isVertical(vertical) ? vertical : '',
    frequentThreshold: Number((await readSetting(deps.db, keyOf(agencyId, 'frequentThreshold'))) ?? '10'),
    referencePattern: (await readSetting(deps.db, keyOf(agencyId, 'referencePattern'))) ?? '',
    feePayment: (await feePaymentOf(deps.db, agencyId)) ?? '',
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
    const fallback = await defaultBodyOf(trx, agencyId, input.verticalSystem)
    const body = input.reconsiderationBody.trim()
    if (!body && !fallback) {
      const message = input.verticalSystem
        ? '实行垂直领导的机关请填写上一级主管部门的名称（行政复议法第二十七条）'
        : '请填写上一级人民政府的名称（行政复议法第二十四条）'
      throw new AppError('invalid_input', message, { reconsiderationBody: message })
    }
    // A body equal to the default is not stored, so that it follows the agency's place in the region.
    if (body && body !== fallback) await writeSetting(trx, keyOf(agencyId, 'reconsiderationBody'), body, actor.id, at)
    else await deleteSetting(trx, keyOf(agencyId, 'reconsiderationBody'))
    if (input.verticalSystem)
      await writeSetting(trx, keyOf(agencyId, 'verticalSystem'), input.verticalSystem, actor.id, at)
    else await deleteSetting(trx, keyOf(agencyId, 'verticalSystem'))
    await writeSetting(trx, keyOf(agencyId, 'frequentThreshold'), String(input.frequentThreshold), actor.id, at)
    const pattern = input.referencePattern.trim()
    if (pattern) await writeSetting(trx, keyOf(agencyId, 'referencePattern'), pattern, actor.id, at)
    else await deleteSetting(trx, keyOf(agencyId, 'referencePattern'))
    const payment = input.feePayment.trim()
    if (payment) await writeSetting(trx, keyOf(agencyId, 'feePayment'), payment, actor.id, at)
    else await deleteSetting(trx, keyOf(agencyId, 'feePayment'))
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
        reconsiderationBody: body || fallback,
        verticalSystem: input.verticalSystem,
        frequentThreshold: input.frequentThreshold,
        referencePattern: input.referencePattern.trim(),
        feePayment: payment !== '',
        templates: templateKinds.filter((k) => input.templates[k].trim()),
      },
    })
  })
}
