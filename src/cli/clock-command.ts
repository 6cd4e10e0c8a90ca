import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { outcomeLabel } from '../applications/application.ts'
import { readClockSettings } from '../applications/due-date.service.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import { reviewClock } from '../deadlines/clock-review.ts'
import type { ClockEvent } from '../deadlines/statutory-clock.ts'
import type { Deps } from '../deps.ts'
import { outcomeCodes } from '../reports/report-records.ts'

// `gongkai clock FILE|-`: the statutory clock of a timeline given as JSON, with the steps the law
// does not allow, for checking a due date from outside. The console's use cases refuse exactly the
// steps reported here (clock-review.ts).

type Out = { log: (s: string) => void; error: (s: string) => void }

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(d)), '日期无效')
const event = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('correction_requested'), on: date, correctBy: date.optional() }),
  z.object({ kind: z.literal('correction_received'), on: date }),
  z.object({
    kind: z.literal('consultation_sent'),
    on: date,
    ref: z.coerce.string(),
    party: z.enum(['thirdParty', 'agency']),
  }),
  z.object({ kind: z.literal('consultation_replied'), on: date, ref: z.coerce.string() }),
  z.object({ kind: z.literal('extension_approved'), on: date, days: z.number(), noticeIssuedOn: date.optional() }),
  z.object({ kind: z.literal('fee_notified'), on: date, receivedByApplicantOn: date.optional() }),
  z.object({ kind: z.literal('fee_paid'), on: date }),
  z.object({ kind: z.literal('reasons_requested'), on: date }),
  z.object({ kind: z.literal('delay_set'), on: date, until: date }),
  z.object({ kind: z.literal('concluded'), on: date, outcome: z.enum(outcomeCodes) }),
])
const timeline = z.object({ receivedOn: date, asOf: date, events: z.array(event).default([]) })

const camel = (kind: string) => kind.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())

export async function clockCommand(deps: Deps, args: string[], out: Out): Promise<number> {
  const [file] = args
  if (!file || args.length > 1) {
    out.error('用法：gongkai clock <JSON 文件|->（- 表示从标准输入读取）')
    return 2
  }
  let input: z.infer<typeof timeline>
  try {
    const parsed = timeline.safeParse(JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      out.error(`输入有误：${issue.path.join('.') || '（根）'}：${issue.message}`)
      return 2
    }
    input = parsed.data
  } catch (e) {
    out.error(e instanceof SyntaxError ? `无法解析 JSON：${e.message}` : `无法读取文件：${file}`)
    return 2
  }
  const events = input.events.map(
    (e) =>
      ({
        ...e,
        kind: camel(e.kind),
        ...(e.kind === 'concluded' ? { label: outcomeLabel(e.outcome) } : {}),
      }) as ClockEvent,
  )
  const clock = reviewClock(
    await loadCalendar(deps.db),
    input.receivedOn,
    events,
    input.asOf,
    await readClockSettings(deps.db),
  )
  out.log(
    JSON.stringify(
      {
        due: clock.due,
        provisional: clock.provisional,
        paused: clock.paused,
        overdue: clock.overdue,
        ...(clock.feePayBy ? { feePayBy: clock.feePayBy } : {}),
        steps: clock.steps.map((s) => ({ on: s.on, text: s.text })),
        problems: clock.problems,
      },
      null,
      2,
    ),
  )
  return clock.problems.length ? 1 : 0
}
