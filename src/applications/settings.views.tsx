import { Csrf, ErrorSummary, Field, Notice, Select, stringValue } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import { letterKinds } from './letter.ts'
import { verticalSystems } from './reconsideration.ts'
import type { ApplicationSettings } from './settings.service.ts'
import { templateKinds } from './settings.service.ts'

// The office head's settings page for disclosure on request.

const placeholders =
  '{申请人} {申请编号} {收到日期} {申请内容} {答复期限} {机关名称} {补正事项} {补正期限} {延长天数} {延期理由} {收费金额} {收费依据} {收费标准} {收费计算} {缴纳方式} {缴费期限} {缴费要求} {延迟期限} {依据} {查询依据} {查询机关} {负责公开机关} {负责公开机关联系方式} {答复意见} {复议机关} {救济途径}'

/** The settings as the form shows them: one field per setting, one text area per letter template. */
export function settingsFormValues(settings: ApplicationSettings): FormState {
  const values: Record<string, string> = {
    reconsiderationBody: settings.reconsiderationBody,
    verticalSystem: settings.verticalSystem,
    frequentThreshold: String(settings.frequentThreshold),
    referencePattern: settings.referencePattern,
    feePayment: settings.feePayment,
  }
  for (const k of templateKinds) values[`template_${k}`] = settings.templates[k]
  return { values, errors: {} }
}

export function SettingsPage(props: { ctx: PageContext; form: FormState; saved: boolean }) {
  const { ctx, form: f } = props
  return (
    <ConsoleLayout ctx={ctx} title="依申请公开设置">
      <h1>依申请公开设置</h1>
      {props.saved && <Notice>已保存。</Notice>}
      <ErrorSummary form={f} />
      <form method="post" action="/console/request-settings" novalidate>
        <Csrf token={ctx.csrf} />
        <Select
          form={f}
          name="verticalSystem"
          label="本机关是否实行垂直领导（行政复议法第二十七条）"
          placeholder="否：本级人民政府的工作部门、派出机关或人民政府"
          options={Object.entries(verticalSystems).map(([value, label]) => ({ value, label: `是：${label}系统` }))}
        />
        <Field
          form={f}
          name="reconsiderationBody"
          label="行政复议机关（写入答复书的救济途径）"
          hint="留空则按行政复议法第二十四条确定：本级人民政府的工作部门为本级人民政府，人民政府为上一级人民政府。实行垂直领导的机关须填写上一级主管部门的名称。"
        />
        <Field
          form={f}
          name="frequentThreshold"
          label="同一申请人 30 日内申请达到多少件时提示“申请较多”（条例第三十五条）"
          inputmode="numeric"
          required
        />
        <Field
          form={f}
          name="referencePattern"
          label="文书文号格式（可不填）"
          hint="印发时按年度顺序编号。{year} 为年份，{n} 为序号，如：垫司公开〔{year}〕{n}号。"
        />
        <div class="field wide">
          <label for="f-feePayment">信息处理费缴纳方式（写入收费通知书，国办函〔2020〕109号）</label>
          <p class="hint" id="f-feePayment-hint">
            如收款单位、账户、开户银行，或非税收入缴款方式及缴款码的取得办法。未填写的，不能发出收费通知。
          </p>
          <textarea id="f-feePayment" name="feePayment" rows={3} aria-describedby="f-feePayment-hint">
            {stringValue(f.values.feePayment)}
          </textarea>
          {f.errors.feePayment && <p class="error">{f.errors.feePayment}</p>}
        </div>
        <h2>文书模板</h2>
        <p>
          留空则使用平台的标准模板。可用占位符：{placeholders}。每段一行。{'{答复意见}'}
          为按答复结果生成的答复正文（含依据的条款）；答复书模板须包含{'{救济途径}'}。
        </p>
        {templateKinds.map((k) => (
          <div class="field wide">
            <label for={`f-template_${k}`}>{letterKinds[k]}</label>
            <textarea id={`f-template_${k}`} name={`template_${k}`} rows={6}>
              {stringValue(f.values[`template_${k}`])}
            </textarea>
          </div>
        ))}
        <button type="submit">保存</button>
      </form>
    </ConsoleLayout>
  )
}
