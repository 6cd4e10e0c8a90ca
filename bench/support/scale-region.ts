// A region at scale for the benches: the office and nine more agencies with their standard columns, a publisher, and
// N items seeded in batches of 500 (no search index: the benches that use this do not search).
import { createAccount } from '../../src/accounts/account.service.ts'
import { insertAgency, listAgencies } from '../../src/agencies/agency.store.ts'
import { systemActor } from '../../src/audit/audit.ts'
import type { Deps } from '../../src/deps.ts'
import { genres } from '../../src/disclosures/disclosure.ts'
import { listColumns, seedColumns } from '../../src/disclosures/disclosure.store.ts'
import { performSetup } from '../../src/setup/setup.service.ts'

/** The region a previous run seeded in the same data folder, if any. */
export async function findScaleRegion(deps: Deps) {
  const [office, small] = await listAgencies(deps.db)
  const publisher = await deps.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'bench.publisher')
    .executeTakeFirst()
  return office && small && publisher ? { office, small, publisherId: publisher.id } : undefined
}

export async function setUpScaleRegion(deps: Deps) {
  await performSetup(
    deps,
    {
      regionName: '基准县',
      officeName: '基准县人民政府办公室',
      officeCreditCode: '11500231MB15204609',
      officeLevel: '县级',
      adminUsername: 'bench.admin',
      adminName: '基准',
    },
    '127.0.0.1',
  )
  const region = (await deps.db.selectFrom('regions').select('id').executeTakeFirstOrThrow()).id
  for (let k = 1; k <= 9; k++)
    await deps.db.transaction().execute(async (trx) => {
      const code = `11500231MB1520${String(5600 + k)}`
      const id = await insertAgency(
        trx,
        region,
        { name: `基准局${k}`, creditCode: code, level: '县级', kind: '政府部门', parentId: null },
        false,
        '2026-01-01T00:00:00.000Z',
      )
      await seedColumns(trx, id, '2026-01-01T00:00:00.000Z')
    })
  const [office, small] = await listAgencies(deps.db)
  const publisher = await createAccount(
    deps,
    systemActor(),
    {
      agencyId: office!.id,
      username: 'bench.publisher',
      displayName: '基准发布人',
      roles: [{ role: 'publisher', reviewLevel: null }],
    },
    'operator',
  )
  return { office: office!, small: small!, publisherId: publisher.id }
}

/**
 * `count` items, half the office's, the rest over the other nine agencies; one column of each agency holds half of
 * its items; about 450 items share each publication date; 1 % withdrawn, 1 % drafts; then `due` approved items of the
 * office scheduled for 2099 (a bench moves their time to make them due).
 */
export async function seedScaleItems(
  deps: Deps,
  publisherId: number,
  count: number,
  dueCount: number,
  tag = '',
): Promise<number> {
  const started = Date.now()
  const agencies = await listAgencies(deps.db)
  const columnsOf = new Map<number, number[]>()
  for (const a of agencies) {
    const all = await listColumns(deps.db, a.id)
    const leaves = all.filter((c) => !all.some((x) => x.parent_id === c.id) && c.class !== 'guide')
    columnsOf.set(
      a.id,
      leaves.slice(0, 12).map((c) => c.id),
    )
  }
  // Half the items are the office's (one agency at scale), the rest spread over the other nine.
  const agencyOf = (n: number) => (n % 2 === 0 ? agencies[0]!.id : agencies[1 + (n % 9)]!.id)
  const batch = 500
  for (let start = 0; start < count + dueCount; start += batch) {
    await deps.db.transaction().execute(async (trx) => {
      const rows = Array.from({ length: Math.min(batch, count + dueCount - start) }, (_, k) => {
        const n = start + k
        const due = n >= count
        const agencyId = due ? agencies[0]!.id : agencyOf(n)
        const columns = columnsOf.get(agencyId)!
        return {
          agency_id: agencyId,
          // One column of each agency holds half of its items.
          column_id: n % 4 < 2 ? columns[0]! : columns[(n >> 2) % columns.length]!,
          index_number: `BENCH${tag}/${2000 + (n % 26)}-${String(n).padStart(7, '0')}`,
          title: `基准信息第${n}号关于政府信息公开工作的通知`,
          formed_on: '2026-01-01',
          genre: n % 5 === 4 ? null : genres[n % genres.length]!,
          body: `<p>基准正文${n}：依据条例，主动公开政府信息，接受社会监督。</p>`,
          validity: 'valid',
          status: due ? 'approved' : n % 100 === 0 ? 'withdrawn' : n % 100 === 1 ? 'draft' : 'published',
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
          // A day per item, cycling over six years: some 450 items share every date (keyset ties).
          published_at: due ? null : new Date(Date.UTC(2020, 0, 1) + (n % 2190) * 86_400_000).toISOString(),
          scheduled_at: due ? '2099-01-01T00:00:00.000Z' : null,
          scheduled_by: due ? publisherId : null,
        }
      })
      await trx.insertInto('items').values(rows).execute()
    })
  }
  return (Date.now() - started) / 1000
}
