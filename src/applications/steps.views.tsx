import type { ApplicationRow } from '../storage/database.ts'
import { Field, Notice, Select } from '../web/form.tsx'
import { deliveryMethods, outcomeOptions, replyTypes } from './application.ts'
import { unconsultedRefusalFlag } from './decision.service.ts'
import { Fee } from './fee-steps.views.tsx'
import { withheldBases } from './letter.ts'
import { ActionForm, DateField, formFor, options } from './step-form.tsx'
import type { ApplicationPageProps } from './step-form.tsx'

// The forms of the steps the law allows on an application, each shown only when it applies; a
// failed step keeps its input and shows its errors in its own form.

export type { ApplicationPageProps }

export { options }
export const isOpen = (application: ApplicationRow) => application.status !== 'concluded'

/** While a correction is awaited: it arrives, or the period passes. */
export function CorrectionActions(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  const open = isOpen(props.application)
  return (
    <>
      {open && application.status === 'correction' && (
        <>
          <ActionForm
            ctx={props.ctx}
            id={application.id}
            action="correction-received"
            title="收到补正后的申请"
            button="记录收到补正"
          >
            <DateField
              idSuffix="correction-received"
              form={formOf('correction-received')}
              name="on"
              label="收到补正之日"
              today={today}
            />
          </ActionForm>
          <ActionForm
            ctx={props.ctx}
            id={application.id}
            action="no-correction"
            title="逾期未补正"
            button="视为放弃，不再处理"
          >
            <DateField
              idSuffix="no-correction"
              form={formOf('no-correction')}
              name="on"
              label="办结日期"
              today={today}
            />
          </ActionForm>
        </>
      )}
    </>
  )
}

/** The steps of an application being worked on (not waiting for a correction, not concluded). */
export function OpenActions(props: ApplicationPageProps) {
  if (!isOpen(props.application) || props.application.status !== 'open') return null
  return (
    <>
      <CorrectionRequest {...props} />
      <Consultation {...props} />
      <Extension {...props} />
      <Fee {...props} />
      <Article35 {...props} />
      <Ending {...props} />
    </>
  )
}

/** Art. 30: the one correction notice, while none has been sent. */
function CorrectionRequest(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  return (
    <>
      {!props.events.some((e) => e.kind === 'correction_requested') && (
        <ActionForm
          ctx={props.ctx}
          id={application.id}
          action="correction"
          title="补正（一次性告知）"
          button="发出补正通知"
        >
          <DateField idSuffix="correction" form={formOf('correction')} name="on" label="通知日期" today={today} />
          <Field
            idSuffix="correction"
            form={formOf('correction')}
            name="correctBy"
            label="补正期限"
            type="date"
            required
          />
          <Field idSuffix="correction" form={formOf('correction')} name="what" label="需要补正的事项" required />
        </ActionForm>
      )}
    </>
  )
}

/** Arts. 32 and 34: a consultation sent, and the replies of those still open. */
function Consultation(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  const openConsultations = props.events.filter(
    (e) =>
      e.kind === 'consultation_sent' &&
      !props.events.some((r) => r.kind === 'consultation_replied' && Number(r.detail.ref) === e.id),
  )
  return (
    <>
      <ActionForm
        ctx={props.ctx}
        id={application.id}
        action="consultation"
        title="征求意见（期间不计入答复期限）"
        button="记录发出征求意见"
      >
        <DateField idSuffix="consultation" form={formOf('consultation')} name="on" label="发出日期" today={today} />
        <Select
          idSuffix="consultation"
          form={formOf('consultation')}
          name="party"
          label="对象"
          options={[
            { value: 'thirdParty', label: '第三方（条例第三十二条）' },
            { value: 'agency', label: '其他机关（条例第三十四条）' },
          ]}
          required
        />
        <Field idSuffix="consultation" form={formOf('consultation')} name="to" label="征求意见的对象名称" required />
      </ActionForm>
      {openConsultations.map((c) => (
        <ActionForm
          ctx={props.ctx}
          id={application.id}
          action="consultation-reply"
          title={`收到${String(c.detail.to)}的意见`}
          button="记录答复"
        >
          <input type="hidden" name="ref" value={String(c.id)} />
          <DateField
            idSuffix={`reply-${c.id}`}
            form={formOf('consultation-reply')}
            name="on"
            label="收到答复之日"
            today={today}
          />
          <Field idSuffix={`reply-${c.id}`} form={formOf('consultation-reply')} name="opinion" label="意见摘要" />
        </ActionForm>
      ))}
    </>
  )
}

/** Art. 33: the extension, for the office head, once. */
function Extension(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  return (
    <>
      {props.isHead && !props.events.some((e) => e.kind === 'extension_approved') && (
        <ActionForm
          ctx={props.ctx}
          id={application.id}
          action="extension"
          title="延长答复期限（负责人同意）"
          button="批准延期"
        >
          <DateField idSuffix="extension" form={formOf('extension')} name="on" label="批准日期" today={today} />
          <Field
            idSuffix="extension"
            form={formOf('extension')}
            name="days"
            label="延长工作日数（不超过 20）"
            inputmode="numeric"
            required
          />
          <Field idSuffix="extension" form={formOf('extension')} name="reason" label="延期理由" required />
          <p>
            批准后生成延长答复期限告知书草稿；告知书须在答复期限届满前印发，印发之日为告知申请人之日，答复期限自印发时延长（条例第三十三条第二款）。
          </p>
        </ActionForm>
      )}
    </>
  )
}

/** Art. 35: reasons asked of a frequent applicant, and the later date the office head sets. */
function Article35(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  return (
    <>
      <ActionForm
        ctx={props.ctx}
        id={application.id}
        action="reasons"
        title="要求说明理由（条例第三十五条）"
        button="记录已要求说明理由"
      >
        <DateField idSuffix="reasons" form={formOf('reasons')} name="on" label="日期" today={today} />
      </ActionForm>
      {props.isHead && (
        <ActionForm
          ctx={props.ctx}
          id={application.id}
          action="delay"
          title="确定延迟答复的合理期限（条例第三十五条）"
          button="确定期限并告知"
        >
          <DateField idSuffix="delay" form={formOf('delay')} name="on" label="告知日期" today={today} />
          <Field idSuffix="delay" form={formOf('delay')} name="until" label="延迟答复期限" type="date" required />
          <Field idSuffix="delay" form={formOf('delay')} name="reason" label="理由" required />
        </ActionForm>
      )}
    </>
  )
}

/** The decision (art. 36), or the applicant withdrawing. */
function Ending(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  return (
    <>
      <ActionForm ctx={props.ctx} id={application.id} action="decide" title="作出答复" button="作出答复">
        <DateField idSuffix="decide" form={formOf('decide')} name="on" label="答复日期" today={today} />
        <Select
          idSuffix="decide"
          form={formOf('decide')}
          name="outcome"
          label="答复结果（年度报告分类）"
          options={outcomeOptions
            .filter((o) => o.code !== 'OTHER_NO_CORRECTION' && o.code !== 'OTHER_NO_FEE')
            .map((o) => ({ value: o.code, label: o.label }))}
          required
        />
        <Select
          idSuffix="decide"
          form={formOf('decide')}
          name="replyType"
          label="答复类型（条例第三十六条）"
          options={options(replyTypes)}
          required
        />
        <Field
          idSuffix="decide"
          form={formOf('decide')}
          name="basis"
          label="理由（不予公开、部分公开必填）"
          hint="答复书按答复结果写明所依据的条款（条例第十四条、第十五条、第十六条、第三十六条等），此处写明具体理由。"
        />
        <Select
          idSuffix="decide"
          form={formOf('decide')}
          name="withheldBasis"
          label="部分公开：不予公开部分所依据的条款（条例第三十七条，部分公开必选）"
          options={Object.entries(withheldBases).map(([value, b]) => ({ value, label: b.label }))}
        />
        <NoConsultationConfirm {...props} />
        <Field
          idSuffix="decide"
          form={formOf('decide')}
          name="queryLaw"
          label="行政查询事项：规定查询办法的法律、行政法规（条例第三十六条第（七）项）"
        />
        <Field
          idSuffix="decide"
          form={formOf('decide')}
          name="queryOffice"
          label="行政查询事项：受理查询的机关及地址"
        />
        <Field
          idSuffix="decide"
          form={formOf('decide')}
          name="responsibleAgency"
          label="非本机关负责公开：负责公开的机关名称（条例第三十六条第（五）项，能够确定的填写）"
        />
        <Field
          idSuffix="decide"
          form={formOf('decide')}
          name="responsibleContact"
          label="非本机关负责公开：该机关的联系方式"
        />
        <Field idSuffix="decide" form={formOf('decide')} name="relatedNumber" label="重复申请：此前已答复的申请编号" />
      </ActionForm>
      <ActionForm ctx={props.ctx} id={application.id} action="withdraw" title="申请人撤回申请" button="记录撤回">
        <DateField idSuffix="withdraw" form={formOf('withdraw')} name="on" label="撤回日期" today={today} />
      </ActionForm>
    </>
  )
}

/**
 * 条例第十五条、第三十二条: refusing for a third party's rights without having consulted it asks for
 * an explicit confirmation; shown while no third-party consultation is recorded.
 */
function NoConsultationConfirm(props: ApplicationPageProps) {
  if (props.events.some((e) => e.kind === 'consultation_sent' && e.detail.party !== 'agency')) return null
  const form = formFor(props)('decide')
  const error = form.errors.confirmNoConsultation
  return (
    <div class={error ? 'field has-error' : 'field'}>
      {error && (
        <p class="error" id="e-f-confirmNoConsultation-decide">
          {error}
        </p>
      )}
      <label>
        <input
          type="checkbox"
          id="f-confirmNoConsultation-decide"
          name="confirmNoConsultation"
          value="yes"
          checked={form.values.confirmNoConsultation === 'yes'}
        />
        本申请未征求第三方意见。以“涉及商业秘密、个人隐私等第三方合法权益”为由不予公开的，一般应先书面征求第三方意见（条例第十五条、第三十二条）；确需不经征求意见即作出决定的，请勾选确认，该决定将被标记并向公开办负责人显示。
      </label>
    </div>
  )
}

/** The flags on a decision the office head must see (条例第十五条、第三十二条). */
export function DecisionFlags(props: ApplicationPageProps) {
  return (
    <>
      {props.events.some((e) => e.kind === 'decided' && e.detail.thirdPartyUnconsulted) && (
        <Notice kind="warn">{unconsultedRefusalFlag}</Notice>
      )}
    </>
  )
}

/** Delivery of the reply (235号), once decided. */
export function DeliveryAction(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  return (
    <>
      {application.status === 'concluded' && application.decided_on && !application.delivered_on && (
        <ActionForm
          ctx={props.ctx}
          id={application.id}
          action="deliver"
          title="送达（国办公开办函〔2016〕235号）"
          button="记录送达"
        >
          <Select
            idSuffix="deliver"
            form={formOf('deliver')}
            name="method"
            label="送达方式"
            options={options(deliveryMethods)}
            required
          />
          <DateField
            idSuffix="deliver"
            form={formOf('deliver')}
            name="on"
            label="签收日期（邮寄为交邮日期）"
            today={today}
          />
        </ActionForm>
      )}
    </>
  )
}
