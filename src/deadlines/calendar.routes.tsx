import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formatShanghai } from '../clock.ts'
import { AppError } from '../errors.ts'
import { Csrf, ErrorSummary, Field, Notice } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import { calendarYearForm, recordCalendarYear } from './calendar.service.ts'
import { readClockSettings, refreshOpenDueDates } from '../applications/due-date.service.ts'
import { writeSetting } from '../settings/settings.store.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import { listCalendarYears } from './calendar.store.ts'
import { pageContext, requireStaff } from '../web/request-context.ts'

export function calendarRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const page = async (request: FastifyRequest, reply: FastifyReply, status: number, form: FormState, saved = false) => {
    const years = await listCalendarYears(deps.db)
    const next = Number(formatShanghai(deps.clock.now().toISOString()).slice(0, 4)) + 1
    const missingNext = !years.some((y) => Number(y.year) === next)
    const feePauses = (await readClockSettings(deps.db)).feePausesClock
    return reply.page(
      status,
      <ConsoleLayout ctx={pageContext(request)} title="节假日安排">
        <h1>节假日安排（工作日计算）</h1>
        {saved && <Notice>已保存。</Notice>}
        {missingNext && (
          <Notice kind="warn">
            尚未录入 {next} 年节假日安排。跨入该年的期限将无法计算，请在国务院办公厅通知发布后及时录入。
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
            {years.map((y) => (
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
          <Csrf token={pageContext(request).csrf} />
          <p>国办函〔2020〕109号的收费通知至申请人缴费之间是否不计入答复期限，各地做法不一。默认不计入（计时暂停）。</p>
          <div class="field">
            <input type="checkbox" id="f-feePausesClock" name="feePausesClock" checked={feePauses} />
            <label for="f-feePausesClock">收费通知发出至缴费期间，答复期限暂停计算</label>
          </div>
          <button type="submit">保存</button>
        </form>
        <h2 id="add-h">录入一年的放假安排</h2>
        <ErrorSummary form={form} />
        <form method="post" action="/console/calendar" aria-labelledby="add-h" novalidate>
          <Csrf token={pageContext(request).csrf} />
          <Field form={form} name="year" label="年份" inputmode="numeric" required />
          <Field form={form} name="source" label="依据（通知名称和文号）" required />
          <div class={form.errors.holidays ? 'field wide has-error' : 'field wide'}>
            <label for="f-holidays">放假的日期（逐日列出，以空格或换行分隔）</label>
            {form.errors.holidays && <p class="error">{form.errors.holidays}</p>}
            <textarea id="f-holidays" name="holidays" rows={4}>
              {typeof form.values.holidays === 'string' ? form.values.holidays : ''}
            </textarea>
          </div>
          <div class={form.errors.makeupWorkdays ? 'field wide has-error' : 'field wide'}>
            <label for="f-makeupWorkdays">调休上班的周末日期</label>
            {form.errors.makeupWorkdays && <p class="error">{form.errors.makeupWorkdays}</p>}
            <textarea id="f-makeupWorkdays" name="makeupWorkdays" rows={2}>
              {typeof form.values.makeupWorkdays === 'string' ? form.values.makeupWorkdays : ''}
            </textarea>
          </div>
          <button type="submit">保存</button>
        </form>
      </ConsoleLayout>,
    )
  }

  app.get('/console/calendar', async (request, reply) =>
    page(request, reply, 200, { values: {}, errors: {} }, (request.query as { saved?: string }).saved === '1'),
  )

  app.post('/console/calendar', async (request, reply) => {
    const parsed = parseForm(calendarYearForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    try {
      await recordCalendarYear(deps, request.actor, parsed.data)
      // Applications whose due date ran into this year get it now.
      await refreshOpenDueDates(deps)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return page(request, reply, 422, { values: request.body as Record<string, unknown>, errors: e.fields })
      throw e
    }
    return reply.redirect('/console/calendar?saved=1', 303)
  })

  app.post('/console/calendar/fee-pause', async (request, reply) => {
    const on = (request.body as { feePausesClock?: string }).feePausesClock === 'on'
    await deps.db.transaction().execute(async (trx) => {
      await writeSetting(
        trx,
        'requests.feePausesClock',
        on ? 'true' : 'false',
        requireStaff(request).id,
        isoNow(deps.clock),
      )
      await appendAudit(deps, trx, request.actor, {
        action: 'requests.fee_pause',
        objectType: 'setting',
        objectId: 'requests.feePausesClock',
        result: 'success',
        detail: { on },
      })
    })
    await refreshOpenDueDates(deps)
    return reply.redirect('/console/calendar?saved=1', 303)
  })
}
