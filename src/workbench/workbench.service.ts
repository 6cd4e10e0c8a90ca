import type { StaffUser } from '../accounts/account.ts'
import type { StaffActor } from '../audit/audit.ts'
import { findAgencyById } from '../agencies/agency.store.ts'
import { shanghaiDate } from '../applications/application.ts'
import { listFlaggedThirdPartyRefusals } from '../applications/decision.service.ts'
import { addWorkingDaysProvisionally } from '../applications/due-date.service.ts'
import { lateCorrections } from '../applications/queue.service.ts'
import { loadCalendar } from '../deadlines/calendar.store.ts'
import type { Deps } from '../deps.ts'
import { ownColumnHealth } from '../disclosures/health.service.ts'
import { listJobs } from '../jobs/jobs.ts'
import { regionOverview, reportDueOf } from '../region/region.service.ts'
import { listReportsOfAgency } from '../reports/report.store.ts'
import { readReviewConfig } from '../reviews/review.service.ts'
import { editorsOf, nextLevel } from '../reviews/review.ts'
import type { Signature } from '../reviews/review.ts'
import { listItemSignatures, listOpenApplicationsOf, listUnpublishedItems } from './workbench.store.ts'

// The 工作台 (issue #12): each role lands on its to-do list — what waits for this person now, with counts and links.
// A task names its count and up to five of its objects; "全部" leads to the list that holds them all.

export type TodoRow = { text: string; href: string; note?: string; take?: number }
export type Todo = { label: string; count: number; href: string; rows: TodoRow[]; urgent?: boolean }
export type TodoGroup = { title: string; todos: Todo[]; empty: string }

const top = 5
const todo = (label: string, href: string, rows: TodoRow[], urgent = false): Todo => ({
  label,
  count: rows.length,
  href,
  rows: rows.slice(0, top),
  urgent,
})

export async function workbenchOf(deps: Deps, user: StaffUser, actor: StaffActor): Promise<TodoGroup[]> {
  const has = (...roles: string[]) => user.roles.some((r) => roles.includes(r))
  const groups: TodoGroup[] = []
  if (has('drafter', 'reviewer', 'publisher', 'office_head')) groups.push(await disclosureTodos(deps, user))
  if (has('handler', 'office_head')) groups.push(await applicationTodos(deps, user, actor))
  if (has('drafter', 'office_head')) groups.push(await reportTodos(deps, user))
  if (has('supervisor')) groups.push(await regionTodos(deps))
  if (has('sysadmin')) groups.push(await calendarTodos(deps))
  const running = (await listJobs(deps, actor)).filter((j) => j.status === 'running')
  if (running.length)
    groups.push({
      title: '正在进行的任务',
      empty: '',
      todos: [
        todo(
          '正在进行',
          '/console/jobs',
          running.map((j) => ({ text: j.label, href: `/console/jobs/${j.id}`, note: `${j.done}/${j.total}` })),
        ),
      ],
    })
  return groups
}

async function disclosureTodos(deps: Deps, user: StaffUser): Promise<TodoGroup> {
  const has = (role: string) => user.roles.includes(role as never)
  const items = await listUnpublishedItems(deps.db, user.agencyId)
  const signatures = await listItemSignatures(deps.db, user.agencyId)
  const config = await readReviewConfig(deps.db, user.agencyId)
  const roundOf = (i: { id: number; review_round: number }) =>
    signatures
      .filter((s) => s.object_id === i.id && s.round === i.review_round)
      .map((s): Signature => ({ level: s.level, reviewerId: 0, decision: s.decision as Signature['decision'] }))
  const row = (i: { id: number; title: string }, note?: string): TodoRow => ({
    text: i.title,
    href: `/console/items/${i.id}`,
    ...(note ? { note } : {}),
  })
  const mine = items.filter((i) => i.created_by === user.id)
  const todos: Todo[] = []
  if (has('drafter')) {
    const returned = mine.filter((i) => i.status === 'draft' && roundOf(i).some((s) => s.decision === 'returned'))
    todos.push(
      todo(
        '退回给我修改的信息',
        '/console/items',
        returned.map((i) => row(i, '已退回')),
        true,
      ),
    )
    const found = mine.filter((i) => i.status === 'draft' && i.findings)
    todos.push(
      todo(
        '保密审查有发现的草稿',
        '/console/items',
        found.map((i) => row(i, '请修改后保存')),
        true,
      ),
    )
    todos.push(
      todo(
        '我的草稿',
        '/console/items',
        mine.filter((i) => i.status === 'draft').map((i) => row(i)),
      ),
    )
  }
  if (has('reviewer') && user.reviewLevel) {
    const waiting = items.filter(
      (i) =>
        i.status === 'in_review' &&
        i.created_by !== user.id &&
        !editorsOf(i.editors).includes(user.id) &&
        nextLevel(config, roundOf(i)) === user.reviewLevel,
    )
    const level = config.levels[user.reviewLevel - 1] ?? `第 ${user.reviewLevel} 级`
    todos.push(
      todo(
        `待我审核（${level}）`,
        '/console/items',
        waiting.map((i) => row(i, i.findings ? '有保密审查发现' : undefined)),
      ),
    )
  }
  if (has('publisher') || has('office_head')) {
    const approved = items.filter((i) => i.status === 'approved')
    const blocked = approved.filter((i) => i.findings)
    todos.push(
      todo(
        '发布被拦截的信息',
        '/console/items',
        blocked.map((i) => row(i, '保密审查发现问题')),
        true,
      ),
    )
    if (has('publisher'))
      todos.push(
        todo(
          '审核通过、待发布的信息',
          '/console/items',
          approved.filter((i) => !i.findings).map((i) => row(i, i.scheduled_at ? '已定时' : undefined)),
        ),
      )
    const quarantined = items.filter((i) => i.status === 'quarantined')
    if (has('office_head'))
      todos.push(
        todo(
          '已隔离（含密级标志）的信息',
          '/console/items',
          quarantined.map((i) => row(i)),
          true,
        ),
      )
  }
  const health = await ownColumnHealth(deps, user.agencyId)
  // Columns filled from elsewhere (指南, 目录, 年报) and parents are never stale (column-health.ts).
  const problems: Record<string, string> = { stale: '未按时更新', long_stale: '长期未更新', empty: '空白' }
  const columnRows = health.columns
    .filter((c) => c.state in problems)
    .map((c) => ({ text: c.name, href: '/console/columns/health', note: problems[c.state]! }))
  todos.push(todo('栏目健康问题', '/console/columns/health', columnRows, health.veto.length > 0))
  return { title: '主动公开', todos, empty: '主动公开没有待办事项。' }
}

async function applicationTodos(deps: Deps, user: StaffUser, actor: StaffActor): Promise<TodoGroup> {
  const head = user.roles.includes('office_head')
  const today = shanghaiDate(deps.clock.now())
  const soonBy = addWorkingDaysProvisionally(await loadCalendar(deps.db), today, 5)
  const open = await listOpenApplicationsOf(deps.db, user.agencyId)
  // A handler sees the applications they took and those nobody has taken; the office head sees all.
  const visible = head ? open : open.filter((a) => a.handler_id === user.id || a.handler_id === null)
  const due = (a: (typeof open)[number]) => (a.due_on ? `${a.due_on}${a.due_provisional ? '（暂定）' : ''} 到期` : '')
  const row = (a: (typeof open)[number], note = due(a)): TodoRow => ({
    text: a.number,
    href: `/console/applications/${a.id}`,
    note,
  })
  // Paused by a consultation or an unpaid fee notice, an application is never overdue (arts. 32, 34; 109号).
  const running = visible.filter((a) => a.status === 'open' && !a.paused_since && a.due_on)
  const todos: Todo[] = [
    todo(
      '已逾期',
      '/console/applications?queue=overdue',
      running.filter((a) => a.due_on! < today).map((a) => row(a)),
      true,
    ),
    todo(
      '5 个工作日内到期',
      '/console/applications?queue=soon',
      running.filter((a) => a.due_on! >= today && a.due_on! <= soonBy).map((a) => row(a)),
      true,
    ),
    todo(
      '待领办的申请',
      '/console/applications?queue=open',
      open
        .filter((a) => a.handler_id === null)
        .map((a) => ({
          ...row(a, `${a.received_on} 收到`),
          ...(user.roles.includes('handler') ? { take: a.id } : {}),
        })),
    ),
    todo(
      '我办理的申请',
      '/console/applications?queue=open',
      open.filter((a) => a.handler_id === user.id).map((a) => row(a)),
    ),
    todo(
      '等待申请人补正',
      '/console/applications?queue=correction',
      visible.filter((a) => a.status === 'correction').map((a) => row(a, '等待补正')),
    ),
    todo(
      '征求意见或等待缴费中',
      '/console/applications?queue=open',
      visible.filter((a) => a.paused_since).map((a) => row(a, `${a.paused_since} 起暂停计时`)),
    ),
  ]
  if (head) {
    const late = await lateCorrections(deps, user.agencyId)
    todos.push(
      todo(
        '逾期发出补正通知',
        '/console/applications',
        late.map((l) => ({
          text: l.number,
          href: `/console/applications/${l.id}`,
          note: `应于 ${l.noticeBy} 前发出`,
        })),
      ),
    )
    const flagged = await listFlaggedThirdPartyRefusals(deps, actor)
    todos.push(
      todo(
        '未征求第三方意见即不予公开',
        '/console/applications',
        flagged.map((f) => ({
          text: f.number,
          href: `/console/applications/${f.applicationId}`,
          note: `${f.decidedOn} ${f.actorName}`,
        })),
      ),
    )
  }
  return { title: '依申请公开', todos, empty: '依申请公开没有待办事项。' }
}

async function reportTodos(deps: Deps, user: StaffUser): Promise<TodoGroup> {
  const agency = await findAgencyById(deps.db, user.agencyId)
  const today = shanghaiDate(deps.clock.now())
  const year = Number(today.slice(0, 4)) - 1
  const todos: Todo[] = []
  if (agency) {
    const deadline = await reportDueOf(deps, agency, year)
    const reports = (await listReportsOfAgency(deps.db, user.agencyId)).filter(
      (r) => r.year === year && r.source === 'computed',
    )
    const published = reports.some((r) => r.status === 'published')
    if (!published) {
      const draft = reports.sort((a, b) => b.id - a.id)[0]
      const state = draft
        ? ({ draft: '草稿', in_review: '审核中', approved: '待发布' }[draft.status] ?? '处理中')
        : '尚未开始'
      todos.push(
        todo(
          `${year}年度报告（${today > deadline ? '已超过' : ''}截止 ${deadline}）`,
          draft ? `/console/reports/${draft.id}` : '/console/reports',
          [{ text: `${year}年度报告`, href: draft ? `/console/reports/${draft.id}` : '/console/reports', note: state }],
          today > deadline,
        ),
      )
    }
  }
  return { title: '年度报告', todos, empty: '年度报告没有待办事项。' }
}

async function regionTodos(deps: Deps): Promise<TodoGroup> {
  const states = await regionOverview(deps)
  const row = (s: (typeof states)[number], note: string): TodoRow => ({ text: s.name, href: '/console/region', note })
  return {
    title: '统计与监督',
    empty: '本区域没有需要督办的事项。',
    todos: [
      todo(
        '有逾期申请的机关',
        '/console/region',
        states.filter((s) => s.overdue > 0).map((s) => row(s, `逾期 ${s.overdue} 件`)),
        true,
      ),
      todo(
        '栏目单项否决的机关',
        '/console/region/columns',
        states.filter((s) => s.veto.length > 0).map((s) => row(s, s.veto.join('；'))),
        true,
      ),
      todo(
        '上年度年报未按期发布的机关',
        '/console/region/reports',
        states.filter((s) => s.reportOnTime === false).map((s) => row(s, `截止 ${s.reportDeadline}`)),
      ),
      todo(
        '逾期发出补正通知的机关',
        '/console/region/applications',
        states.filter((s) => s.lateCorrections > 0).map((s) => row(s, `${s.lateCorrections} 件`)),
      ),
    ],
  }
}

async function calendarTodos(deps: Deps): Promise<TodoGroup> {
  const cal = await loadCalendar(deps.db)
  const today = shanghaiDate(deps.clock.now())
  const next = Number(today.slice(0, 4)) + 1
  // The next year's notice usually comes in November or December; until it is recorded due dates are 暂定.
  const missing = [Number(today.slice(0, 4)), ...(today.slice(5) >= '11-01' ? [next] : [])].filter(
    (y) => !cal.years.has(y),
  )
  return {
    title: '系统管理',
    empty: '系统管理没有待办事项。',
    todos: [
      todo(
        '待录入的节假日安排',
        '/console/calendar',
        missing.map((y) => ({
          text: `${y}年放假安排`,
          href: '/console/calendar',
          note: '未录入前，跨年的答复期限按暂定计算',
        })),
        missing.length > 0,
      ),
    ],
  }
}
