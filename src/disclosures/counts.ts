import { formatShanghai } from '../clock.ts'
import type { Executor } from '../storage/database.ts'

// The figures a 总体情况 states (issue #4; the Dianjiang example: 县政府网站 92, 微信公众号 195, …):
// items published in a period, each counted once in its primary channel, with the publications
// per channel beside them, and the items per column, unit and month.

export type Counts = {
  total: number
  byPrimaryChannel: { name: string; items: number }[]
  /** Items by the kind of their primary channel (门户网站, 微信公众号 …), as a 总体情况 states them, with the channels inside. */
  byChannelKind: { kind: string; label: string; items: number; channels: { name: string; items: number }[] }[]
  publicationsByChannel: { name: string; publications: number }[]
  byColumn: { name: string; items: number }[]
  byUnit: { name: string; items: number }[]
  byMonth: { month: string; items: number }[]
}

export const channelKindLabels: Record<string, string> = {
  portal: '门户网站',
  wechat: '微信公众号',
  credit: '信用网站',
  services: '政务服务平台',
  gazette: '政府公报',
  other: '其他渠道',
}

const tally = (keys: string[]) => {
  const m = new Map<string, number>()
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1)
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

/** `from` and `to` are Asia/Shanghai calendar dates, both included. */
export async function countPublications(db: Executor, agencyId: number, from: string, to: string): Promise<Counts> {
  const start = new Date(`${from}T00:00:00+08:00`).toISOString()
  const end = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000).toISOString()
  const items = await db
    .selectFrom('items')
    .leftJoin('channels', 'channels.id', 'items.primary_channel_id')
    .leftJoin('units', 'units.id', 'items.unit_id')
    .innerJoin('columns', 'columns.id', 'items.column_id')
    .select([
      'items.id',
      'items.published_at',
      'channels.name as channel',
      'channels.kind as channelKind',
      'units.name as unit',
      'columns.name as column',
    ])
    .where('items.agency_id', '=', agencyId)
    .where('items.status', 'in', ['published', 'withdrawn'])
    .where('items.published_at', '>=', start)
    .where('items.published_at', '<', end)
    .execute()
  const publications = await db
    .selectFrom('item_channels')
    .innerJoin('channels', 'channels.id', 'item_channels.channel_id')
    .innerJoin('items', 'items.id', 'item_channels.item_id')
    .select(['channels.name'])
    .where('channels.agency_id', '=', agencyId)
    // An old-site import still being written (item-import.ts) is not yet a publication.
    .where('items.status', '!=', 'importing')
    .where('item_channels.published_at', '>=', start)
    .where('item_channels.published_at', '<', end)
    .execute()
  return {
    total: items.length,
    byPrimaryChannel: tally(items.map((i) => i.channel ?? '门户网站')).map(([name, items]) => ({ name, items })),
    byChannelKind: tally(items.map((i) => i.channelKind ?? 'portal')).map(([kind, n]) => ({
      kind,
      label: channelKindLabels[kind] ?? kind,
      items: n,
      channels: tally(
        items.filter((i) => (i.channelKind ?? 'portal') === kind).map((i) => i.channel ?? '门户网站'),
      ).map(([name, c]) => ({ name, items: c })),
    })),
    publicationsByChannel: tally(publications.map((p) => p.name)).map(([name, n]) => ({ name, publications: n })),
    byColumn: tally(items.map((i) => i.column)).map(([name, items]) => ({ name, items })),
    byUnit: tally(items.map((i) => i.unit ?? '未注明单位')).map(([name, items]) => ({ name, items })),
    byMonth: tally(items.map((i) => formatShanghai(i.published_at!).slice(0, 7)))
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([month, items]) => ({ month, items })),
  }
}
