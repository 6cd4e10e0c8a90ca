import { Csrf, Notice } from '../web/form.tsx'
import type { PageContext } from '../web/layout.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { AppError } from '../errors.ts'
import { appealsCountingLabels, appealsCountings } from './report-settings.service.ts'
import type { AppealsCounting } from './report-settings.service.ts'

// The supervising office's counting rules for the region's computed reports (report-settings.service.ts).

export function ReportSettingsPage(props: {
  ctx: PageContext
  counting: AppealsCounting
  saved?: boolean
  error?: AppError
}) {
  const { ctx } = props
  return (
    <ConsoleLayout ctx={ctx} title="报告统计口径">
      <h1>报告统计口径</h1>
      {props.saved && <Notice>已保存。此后计算的年度报告按新的口径统计；已发布的报告不随之改变。</Notice>}
      {props.error && <Notice kind="warn">{props.error.message}</Notice>}
      <p class="hint">
        由主管部门的公开办负责人统一设置，适用于本区域各机关计算年度报告。跨年度的行政复议、行政诉讼案件如何计入第四部分，各地做法不一，请按本地区的统一要求选择。
      </p>
      <form method="post" action="/console/report-settings">
        <Csrf token={ctx.csrf} />
        <fieldset class={props.error ? 'has-error' : undefined}>
          <legend>第四部分（行政复议、行政诉讼）统计口径</legend>
          {props.error?.fields.appealsCountedBy && (
            <p class="error" id="e-appeals">
              {props.error.fields.appealsCountedBy}
            </p>
          )}
          {appealsCountings.map((c) => (
            <div class="checkbox">
              <input
                type="radio"
                id={`f-appeals-${c}`}
                name="appealsCountedBy"
                value={c}
                checked={props.counting === c}
              />
              <label for={`f-appeals-${c}`}>{appealsCountingLabels[c]}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">保存</button>
      </form>
    </ConsoleLayout>
  )
}
