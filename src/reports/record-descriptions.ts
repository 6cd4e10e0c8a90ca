import type { Executor } from '../storage/database.ts'
import type { RecordId } from './report-records.ts'

// What a record behind a report cell is, in words, with where to see it (issue #12: the drill-down lists records a
// person can recognise, not keys). Items link to their public page; activity records to the agency's 第二十条 page.

export type RecordDescription = { id: RecordId; text: string; href?: string }

const yuan = (fen: number) => (fen / 100).toFixed(2)
const powerTypes: Record<string, string> = {
  licensing: '行政许可',
  penalties: '行政处罚',
  coercion: '行政强制',
  fees: '行政事业性收费',
}
const decisionKinds: Record<string, string> = {
  licensing: '行政许可决定',
  penalties: '行政处罚决定',
  coercion: '行政强制决定',
  otherServices: '其他对外管理服务事项',
}

/** The records of one agency named by `ids`, described; ids it does not hold are described as such. */
export async function describeRecords(
  db: Executor,
  agencyId: number,
  ids: readonly RecordId[],
  opts: { activitiesLink: boolean },
): Promise<RecordDescription[]> {
  const numbered = (prefix: string) =>
    ids
      .map(String)
      .filter((id) => id.startsWith(`${prefix}-`))
      .map((id) => Number(id.slice(prefix.length + 1)))
  const none = [-1]
  const pick = (list: number[]) => (list.length ? list : none)
  const [items, powers, decisions, fees, procurement] = await Promise.all([
    db
      .selectFrom('items')
      .select(['id', 'title', 'index_number', 'doc_number', 'status'])
      .where('agency_id', '=', agencyId)
      .where('id', 'in', pick(numbered('item')))
      .execute(),
    db
      .selectFrom('power_items')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('id', 'in', pick(numbered('power')))
      .execute(),
    db
      .selectFrom('activity_decisions')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('id', 'in', pick(numbered('decision')))
      .execute(),
    db
      .selectFrom('fee_collections')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('id', 'in', pick(numbered('fee')))
      .execute(),
    db
      .selectFrom('procurement_projects')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('id', 'in', pick(numbered('procurement')))
      .execute(),
  ])
  const activities = opts.activitiesLink ? { href: '/console/activities' } : {}
  const known = new Map<string, Omit<RecordDescription, 'id'>>()
  for (const i of items)
    known.set(`item-${i.id}`, {
      text: `${i.title}（${[i.doc_number, `索引号 ${i.index_number}`].filter(Boolean).join('，')}）`,
      ...(i.status === 'published' ? { href: `/items/${i.id}` } : {}),
    })
  for (const p of powers)
    known.set(`power-${p.id}`, {
      text: `${powerTypes[p.type] ?? '其他'}事项：${p.name}（${p.valid_from} 起${p.valid_to ? `，至 ${p.valid_to}` : ''}）`,
      ...activities,
    })
  for (const d of decisions)
    known.set(`decision-${d.id}`, {
      text: `${decisionKinds[d.kind] ?? '决定'}：${d.matter}（${d.decided_on}，${Number(d.count)} 件）`,
      ...activities,
    })
  for (const f of fees)
    known.set(`fee-${f.id}`, {
      text: `收费：${f.item}（${f.collected_on}，${yuan(Number(f.amount_fen))} 元）`,
      ...activities,
    })
  for (const p of procurement)
    known.set(`procurement-${p.id}`, {
      text: `政府集中采购：${p.name}（${p.contracted_on}，${yuan(Number(p.amount_fen))} 元）`,
      ...activities,
    })
  return ids.map((id) => ({ id, ...(known.get(String(id)) ?? { text: '记录已删除或不属于本机关' }) }))
}
