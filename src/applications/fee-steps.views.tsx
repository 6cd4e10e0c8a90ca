import { Field, Select } from '../web/form.tsx'
import { feeDeliveries } from './application.ts'
import { ActionForm, DateField, formFor, options } from './step-form.tsx'
import type { ApplicationPageProps } from './step-form.tsx'

// 国办函〔2020〕109号: the fee notice with its delivery, the day a posted notice was received, then
// its payment or the lapse of the 20 working days to pay (from the day after receipt).

export function Fee(props: ApplicationPageProps) {
  const { application } = props
  const { today } = props
  const formOf = formFor(props)
  const notice = props.events.find((e) => e.kind === 'fee_notified')
  const paid = props.events.some((e) => e.kind === 'fee_paid')
  const receiptUnknown =
    !!notice &&
    !paid &&
    !notice.detail.receivedByApplicantOn &&
    !props.events.some((e) => e.kind === 'fee_notice_received')
  return (
    <>
      {!application.fee_method && (
        <ActionForm
          ctx={props.ctx}
          id={application.id}
          action="fee"
          title="收取信息处理费（国办函〔2020〕109号）"
          button="发出收费通知"
        >
          <DateField idSuffix="fee" form={formOf('fee')} name="on" label="通知日期" today={today} />
          <Select
            idSuffix="fee"
            form={formOf('fee')}
            name="method"
            label="计收方式（二者只能选一）"
            options={[
              { value: 'piece', label: '按件计收（本月第 11 件起）' },
              { value: 'volume', label: '按量计收（超过 30 页）' },
            ]}
            required
          />
          <Field idSuffix="fee" form={formOf('fee')} name="pages" label="页数（按量计收时填写）" inputmode="numeric" />
          <Select
            idSuffix="fee"
            form={formOf('fee')}
            name="delivery"
            label="送达方式（电子送达、当面送达的，申请人当日收到）"
            options={options(feeDeliveries)}
            required
          />
          <Field
            idSuffix="fee"
            form={formOf('fee')}
            name="receivedByApplicantOn"
            label="邮寄的：申请人收到通知日期（已知时填写，未知的可在收到后记录；缴费期限自次日起 20 个工作日）"
            type="date"
          />
        </ActionForm>
      )}
      {receiptUnknown && (
        <ActionForm
          ctx={props.ctx}
          id={application.id}
          action="fee-receipt"
          title="记录收费通知送达"
          button="记录申请人收到日期"
        >
          <p>收费通知已邮寄，申请人收到日期尚未记录：缴费期限自收到之次日起 20 个工作日，记录后显示具体日期。</p>
          <DateField
            idSuffix="fee-receipt"
            form={formOf('fee-receipt')}
            name="on"
            label="申请人收到收费通知之日"
            today={today}
          />
        </ActionForm>
      )}
      {notice && !paid && (
        <>
          <ActionForm ctx={props.ctx} id={application.id} action="fee-paid" title="申请人已缴费" button="记录缴费">
            <DateField idSuffix="fee-paid" form={formOf('fee-paid')} name="on" label="缴费日期" today={today} />
          </ActionForm>
          <ActionForm
            ctx={props.ctx}
            id={application.id}
            action="no-fee"
            title="逾期未缴费"
            button="视为放弃，不再处理"
          >
            <DateField idSuffix="no-fee" form={formOf('no-fee')} name="on" label="办结日期" today={today} />
          </ActionForm>
        </>
      )}
    </>
  )
}
