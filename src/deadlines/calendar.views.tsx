import { formatShanghai } from '../clock.ts'
import { Csrf, ErrorSummary, Field, Notice } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'

export function CalendarPage(props: {
  ctx: PageContext
  years: { year: number | string; source: string; recorded_at: string }[]
  /** Next year, and whether its holidays are still missing. */
  next: number
  missingNext: boolean
  feePauses: boolean
  form: FormState
  saved: boolean
}) {
  return (
    <ConsoleLayout ctx={props.ctx} title="节假日安排">
      <h1>节假日安排（工作日计算）</h1>
      {props.saved && <Notice>已保存。</Notice>}
      {props.missingNext && (
        <Notice kind="warn">
          尚未录入 {props.next} 年节假日安排。跨入该年的期限将无法计算，请在国务院办公厅通知发布后及时录入。
        </Notice>
      )}
      <table>
        <caption>已录入的年份</caption>
        <thead>
          <tr>
            <th scope="col">年份</th>
            <th scope="col">依据</th>
            <th scope="col">录入时间</th>
          </tr>
        </thead>
        <tbody>
          {props.years.map((y) => (
            <tr>
              <td>{y.year}</td>
              <td>{y.source}</td>
              <td>{formatShanghai(y.recorded_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="fee-h">收费期间是否计入答复期限</h2>
      <form method="post" action="/console/calendar/fee-pause" aria-labelledby="fee-h">
        <Csrf token={props.ctx.csrf} />
        <p>国办函〔2020〕109号的收费通知至申请人缴费之间是否不计入答复期限，各地做法不一。默认不计入（计时暂停）。</p>
        <div class="field">
          <input type="checkbox" id="f-feePausesClock" name="feePausesClock" checked={props.feePauses} />
          <label for="f-feePausesClock">收费通知发出至缴费期间，答复期限暂停计算</label>
        </div>
        <button type="submit">保存</button>
      </form>
      <h2 id="add-h">录入一年的放假安排</h2>
      <ErrorSummary form={props.form} />
      <form method="post" action="/console/calendar" aria-labelledby="add-h" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Field form={props.form} name="year" label="年份" inputmode="numeric" required />
        <Field form={props.form} name="source" label="依据（通知名称和文号）" required />
        <div class={props.form.errors.holidays ? 'field wide has-error' : 'field wide'}>
          <label for="f-holidays">放假的日期（逐日列出，以空格或换行分隔）</label>
          {props.form.errors.holidays && <p class="error">{props.form.errors.holidays}</p>}
          <textarea id="f-holidays" name="holidays" rows={4}>
            {typeof props.form.values.holidays === 'string' ? props.form.values.holidays : ''}
          </textarea>
        </div>
        <div class={props.form.errors.makeupWorkdays ? 'field wide has-error' : 'field wide'}>
          <label for="f-makeupWorkdays">调休上班的周末日期</label>
          {props.form.errors.makeupWorkdays && <p class="error">{props.form.errors.makeupWorkdays}</p>}
          <textarea id="f-makeupWorkdays" name="makeupWorkdays" rows={2}>
            {typeof props.form.values.makeupWorkdays === 'string' ? props.form.values.makeupWorkdays : ''}
          </textarea>
        </div>
        <button type="submit">保存</button>
      </form>
    </ConsoleLayout>
  )
}
