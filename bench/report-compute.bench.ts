// Computing section 三 of one region-year's report from 1,000,000 application records, on SQLite
// and on PostgreSQL, as a ratio to one plain GROUP BY over the same rows (goal ≤ 3×), measured side
// by side in one run. "The same rows" are the year's: those received by its end and not concluded
// before its start, which the report reads (issue #15: the anchor counted all 1,000,000 rows while
// the report reads about a third of them, which flattered the ratio).
import { sql } from 'kysely'
import { loadConfig } from '../src/config.ts'
import type { Deps } from '../src/deps.ts'
import { createDeps } from '../src/main.ts'
import { countApplicationsSql } from '../src/reports/report-count.sql.ts'
import { outcomeCodes } from '../src/reports/report-records.ts'
import { onBothDatabases } from './support/both-databases.ts'

const rows = Number(process.env.BENCH_APPLICATIONS ?? 1_000_000)
const agencies = 20
const year = 2024

async function best(fn: () => Promise<unknown>, rounds = 3): Promise<number> {
  let t = Infinity
  for (let i = 0; i < rounds; i++) {
    const s = process.hrtime.bigint()
    await fn()
    t = Math.min(t, Number(process.hrtime.bigint() - s) / 1e6)
  }
  return t
}

async function seed(deps: Deps): Promise<number[]> {
  const now = new Date().toISOString()
  const region = await deps.db
    .insertInto('regions')
    .values({ name: '基准区域', created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const ids: number[] = []
  for (let i = 0; i < agencies; i++) {
    const a = await deps.db
      .insertInto('agencies')
      .values({
        region_id: region.id,
        name: `基准机关${i}`,
        credit_code: `BENCH${String(i).padStart(13, '0')}`,
        level: '县级',
        kind: '政府部门',
        parent_id: null,
        is_supervising: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.push(a.id)
  }
  const first = ids[0]!
  const outcomes = sql.join(
    outcomeCodes.map((c, i) => sql`select ${i} as i, ${c} as code`),
    sql` union all `,
  )
  // Deterministic pseudo-random rows: four years of receipts, one in thirteen still pending.
  if (deps.kind === 'sqlite') {
    await sql`
      insert into applications (agency_id, number, applicant_category, received_on, concluded_on, outcome, created_at)
      with recursive s(n) as (select 1 union all select n + 1 from s where n < ${rows}),
      o as (${outcomes})
      select ${first} + (n % ${agencies}), 'B' || n,
        case n % 6 when 0 then 'natural' when 1 then 'commercial' when 2 then 'research' when 3 then 'publicInterest' when 4 then 'legalService' else 'otherOrg' end,
        date('2022-01-01', '+' || ((n * 37) % 1460) || ' days'),
        case when n % 13 = 0 then null else date('2022-01-01', '+' || ((n * 37) % 1460 + (n * 11) % 90) || ' days') end,
        case when n % 13 = 0 then null else (select code from o where o.i = (n * 5) % ${outcomeCodes.length}) end,
        'bench'
      from s`.execute(deps.db)
  } else {
    await sql`
      insert into applications (agency_id, number, applicant_category, received_on, concluded_on, outcome, created_at)
      select ${first}::int + (n % ${agencies}::int), 'B' || n,
        (array['natural','commercial','research','publicInterest','legalService','otherOrg'])[n % 6 + 1],
        (date '2022-01-01' + ((n * 37) % 1460))::text,
        case when n % 13 = 0 then null else (date '2022-01-01' + ((n * 37) % 1460 + (n * 11) % 90))::text end,
        case when n % 13 = 0 then null else (${sql`array[${sql.join(outcomeCodes.map((c) => sql`${c}::text`))}]`})[(n * 5) % ${outcomeCodes.length}::int + 1] end,
        'bench'
      from generate_series(1, ${rows}::int) as n`.execute(deps.db)
    await sql`analyze applications`.execute(deps.db)
  }
  return ids
}

async function measure(label: string, env: Record<string, string>) {
  const deps = await createDeps({ config: loadConfig({ LOG_LEVEL: 'silent', ...env }), migrate: true })
  try {
    const started = Date.now()
    const ids = await seed(deps)
    const seeded = Date.now() - started
    const start = `${year}-01-01`
    const end = `${year}-12-31`
    const yearRows = sql`applications where agency_id in (${sql.join(ids)})
      and received_on <= ${end} and (concluded_on is null or concluded_on >= ${start})`
    const plain = await best(() =>
      sql`select applicant_category, outcome, count(*) as n from ${yearRows} group by applicant_category, outcome`.execute(
        deps.db,
      ),
    )
    const read = await sql<{ n: number | string }>`select count(*) as n from ${yearRows}`.execute(deps.db)
    const report = await best(() => countApplicationsSql(deps.db, ids, year, '2021'))
    console.log(
      `  ${label.padEnd(11)} plain GROUP BY ${plain.toFixed(0).padStart(6)} ms   report section 三 ${report.toFixed(0).padStart(6)} ms   ratio ${(report / plain).toFixed(2)}× (goal ≤ 3×; ${Number(read.rows[0]!.n).toLocaleString('en')} rows of ${year}; seeded in ${(seeded / 1000).toFixed(1)} s)`,
    )
  } finally {
    await deps.db.destroy()
  }
}

console.log(
  `年报计算 / report computation: ${rows.toLocaleString('en')} applications in ${agencies} agencies, best of 3`,
)
await onBothDatabases('bench', measure)
