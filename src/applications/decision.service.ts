import type { StaffActor } from '../audit/audit.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import type { OutcomeCode } from '../reports/report-records.ts'
import type { DeliveryMethod } from './application.ts'
import { checkDate, deliveryMethods, denyCodes, mayConcludeAsUnclear, outcomeCodes } from './application.ts'
import { isWithheldBasis } from './letter.ts'
import { findAgencyApplicationByNumber, listEvents, updateApplication } from './application.store.ts'
import { addEvent, changeApplication, conclude, mustBeOpen } from './application.service.ts'
import { clockOrProblem } from './due-date.service.ts'
import { listUnconsultedThirdPartyRefusals } from './decision.store.ts'
import type { FlaggedDecision } from './decision.store.ts'

// How an application ends: the decision in the report's taxonomy (art. 36), the art. 35 request
// for reasons, the applicant's withdrawal, and the delivery that decides whether it was on time.

export type DecisionInput = {
  on: string
  outcome: string
  replyType: string
  /** The written reason; a refusal must give one (条例 art. 36 (三), art. 37). */
  basis: string
  relatedNumber?: string
  /** Art. 36 (七): the law that governs the query, and where to apply under it. */
  queryLaw?: string
  queryOffice?: string
  /** Art. 36 (五): the agency responsible for the information and its contact, when known. */
  responsibleAgency?: string
  responsibleContact?: string
  /** PARTIAL: the article the withheld part rests on (letter.ts withheldBases; 条例第三十七条). */
  withheldBasis?: string
  /**
   * DENY_THIRD_PARTY without a recorded third-party consultation (条例第十五条、第三十二条): the
   * handler confirms deciding so anyway; the decision is then flagged.
   */
  confirmNoConsultation?: boolean
}

const refused = (message: string, field: string, fieldMessage = message) =>
  new AppError('invalid_input', message, { [field]: fieldMessage })

/** What a decision must state besides its outcome; the first thing missing, as the form shows it. */
function missingStatement(input: DecisionInput): AppError | undefined {
  if (input.outcome === 'DENY_QUERY') {
    // Registration records are obtained under their own law: say which and where (art. 36 (七)).
    if (input.replyType !== '7')
      return refused('属于行政查询事项的，答复类型应为条例第三十六条第（七）项', 'replyType', '请选择第（七）项')
    if (!input.queryLaw?.trim())
      return refused(
        '请写明规定该信息查询办法的法律、行政法规（条例第三十六条第（七）项）',
        'queryLaw',
        '请写明有关法律、行政法规',
      )
    if (!input.queryOffice?.trim())
      return refused(
        '请写明申请人应向哪个机关申请查询（条例第三十六条第（七）项）',
        'queryOffice',
        '请写明受理查询的机关',
      )
    return undefined
  }
  // The withheld part of a partial disclosure rests on its own article (条例第三十七条 with arts. 14–16, 36 (三)).
  if (input.outcome === 'PARTIAL' && !isWithheldBasis(input.withheldBasis))
    return refused(
      '部分公开须选择不予公开部分所依据的条款（条例第十四条、第十五条、第十六条或第三十六条第（三）项）',
      'withheldBasis',
      '请选择不予公开部分的依据',
    )
  // A refusal says why, beyond its article (art. 36 (三)); so does the withheld part of a partial one (art. 37).
  if ((denyCodes.has(input.outcome) || input.outcome === 'PARTIAL') && !input.basis.trim())
    return refused(
      '不予公开和部分公开须写明不予公开的理由（条例第三十六条第（三）项、第三十七条）',
      'basis',
      '请写明不予公开的理由',
    )
  return undefined
}

/** The decision in the report's taxonomy, with the art. 36 reply type and the articles relied on (spec §8.3). */
export async function decideApplication(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: DecisionInput,
): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    mustBeOpen(application)
    if (application.status === 'correction')
      throw new AppError('invalid_transition', '申请正在等待补正，请先记录补正结果')
    checkDate(input.on, 'on', '答复日期', today, application.received_on)
    if (
      !(outcomeCodes as readonly string[]).includes(input.outcome) ||
      input.outcome === 'OTHER_NO_CORRECTION' ||
      input.outcome === 'OTHER_NO_FEE'
    ) {
      throw new AppError('invalid_input', '请选择答复结果（逾期不补正、逾期不缴费请用对应的办结操作）', {
        outcome: '请选择答复结果',
      })
    }
    const basis = input.basis.trim()
    const missing = missingStatement(input)
    if (missing) throw missing
    let related: number | null = application.related_application_id
    if (input.outcome === 'NP_REPEAT') {
      const earlier = input.relatedNumber
        ? await findAgencyApplicationByNumber(trx, application.agency_id, input.relatedNumber.trim())
        : undefined
      if (!earlier || earlier.applicant_key !== application.applicant_key || !earlier.outcome)
        throw new AppError('invalid_input', '重复申请须关联同一申请人已答复的申请编号', {
          relatedNumber: '请填写同一申请人已答复的申请编号',
        })
      related = earlier.id
    }
    const eventKinds = (await listEvents(trx, application.id)).map((e) => e.kind)
    if (input.outcome === 'UNABLE_UNCLEAR' && !mayConcludeAsUnclear(eventKinds)) {
      throw new AppError(
        'invalid_transition',
        '“补正后申请内容仍不明确”须在书面要求补正并收到补正后作出；申请内容不明确的，请先要求申请人补正（条例第三十条）',
        { outcome: '尚未要求补正或尚未收到补正，不能以“补正后申请内容仍不明确”办结' },
      )
    }
    if (
      input.outcome === 'NP_MASSIVE' &&
      !eventKinds.some((kind) => kind === 'delay_set' || kind === 'reasons_requested')
    ) {
      throw new AppError(
        'invalid_transition',
        '以“无正当理由大量反复申请”不予处理前，须先要求申请人说明理由（条例第三十五条）',
      )
    }
    // 条例第十五条、第三十二条: a refusal for a third party's rights normally follows its consultation;
    // without one recorded, the handler must confirm, and the decision is flagged for the office head.
    const unconsulted =
      input.outcome === 'DENY_THIRD_PARTY' &&
      !(await listEvents(trx, application.id)).some(
        (e) => e.kind === 'consultation_sent' && e.detail.party !== 'agency',
      )
    if (unconsulted && !input.confirmNoConsultation)
      throw new AppError('invalid_input', unconsultedRefusalMessage, { confirmNoConsultation: '请确认后再作出答复' })
    const query = input.outcome === 'DENY_QUERY'
    const notOurs = input.outcome === 'UNABLE_NOT_HELD' && input.replyType === '5'
    await updateApplication(trx, application.id, {
      related_application_id: related,
      query_law: query ? input.queryLaw!.trim() : null,
      query_office: query ? input.queryOffice!.trim() : null,
      responsible_agency: (notOurs && input.responsibleAgency?.trim()) || null,
      responsible_contact: (notOurs && input.responsibleContact?.trim()) || null,
    })
    await conclude(
      deps,
      trx,
      actor,
      application,
      input.on,
      input.outcome as OutcomeCode,
      input.replyType,
      basis,
      'decided',
      {
        ...(input.outcome === 'PARTIAL' ? { withheldBasis: input.withheldBasis } : {}),
        ...(unconsulted ? { thirdPartyUnconsulted: true } : {}),
      },
    )
  })
}

export const unconsultedRefusalMessage =
  '本申请未记录征求第三方意见。以第三方合法权益为由不予公开的，一般应当书面征求第三方意见（条例第十五条、第三十二条）；确需不经征求意见即作出决定的，请勾选确认，该决定将被标记并向公开办负责人显示'

/** The flag the application page and the office head's list show (条例第十五条、第三十二条). */
export const unconsultedRefusalFlag = '未征求第三方意见即以第三方合法权益为由不予公开'

/** Art. 35 first step: the applicant is asked for the reasons of a clearly excessive number of requests. */
export async function requestReasons(deps: Deps, actor: StaffActor, id: number, input: { on: string }): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    mustBeOpen(application)
    checkDate(input.on, 'on', '要求说明理由之日', today, application.received_on)
    await addEvent(deps, trx, actor, application, 'reasons_requested', input.on)
  })
}

/** Delivery (235号): the signature date, or the posting date for mail, decides whether the reply was on time. */
export async function recordDelivery(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string; method: DeliveryMethod },
): Promise<boolean> {
  let onTime = false
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    if (application.status !== 'concluded' || !application.decided_on)
      throw new AppError('invalid_transition', '请先作出答复')
    if (!(input.method in deliveryMethods))
      throw new AppError('invalid_input', '请选择送达方式', { method: '请选择送达方式' })
    checkDate(input.on, 'on', input.method === 'post' ? '交邮日期' : '送达日期', today, application.decided_on)
    const { clock, problem } = await clockOrProblem(deps, trx, application, input.on)
    if (!clock) throw new AppError('invalid_transition', problem!)
    onTime = clock.due !== null && input.on <= clock.due
    await addEvent(deps, trx, actor, application, 'delivered', input.on, { method: input.method, onTime })
    await updateApplication(trx, application.id, {
      delivered_method: input.method,
      delivered_on: input.on,
      on_time: onTime ? 1 : 0,
    })
  })
  return onTime
}

export async function withdrawApplication(
  deps: Deps,
  actor: StaffActor,
  id: number,
  input: { on: string },
): Promise<void> {
  await changeApplication(deps, actor, id, async (trx, application, today) => {
    mustBeOpen(application)
    checkDate(input.on, 'on', '撤回日期', today, application.received_on)
    await conclude(deps, trx, actor, application, input.on, 'OTHER_OTHER', 'none', '申请人撤回申请', 'withdrawn')
  })
}

/**
 * The office head's view (条例第十五条、第三十二条): the agency's refusals for a third party's rights
 * decided without a recorded consultation, for the dashboards.
 */
export async function listFlaggedThirdPartyRefusals(deps: Deps, actor: StaffActor): Promise<FlaggedDecision[]> {
  return listUnconsultedThirdPartyRefusals(deps.db, actor.agencyId)
}
