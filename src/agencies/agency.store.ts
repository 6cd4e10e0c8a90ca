import type { Selectable } from 'kysely'
import type { AgencyTable, Executor } from '../storage/database.ts'
import type { Agency, AgencyInput, Unit, UnitInput } from './agency.ts'

const agencyColumns = [
  'id',
  'region_id',
  'name',
  'credit_code',
  'level',
  'kind',
  'parent_id',
  'is_supervising',
] as const

type AgencyRow = Pick<Selectable<AgencyTable>, (typeof agencyColumns)[number]>

const toAgency = (r: AgencyRow): Agency => ({
  id: r.id,
  regionId: r.region_id,
  name: r.name,
  creditCode: r.credit_code,
  level: r.level,
  kind: r.kind,
  parentId: r.parent_id,
  isSupervising: r.is_supervising === 1,
})

export async function findRegion(db: Executor): Promise<{ id: number; name: string } | undefined> {
  return db.selectFrom('regions').select(['id', 'name']).orderBy('id').limit(1).executeTakeFirst()
}

export async function insertRegion(db: Executor, name: string, at: string): Promise<number> {
  const row = await db.insertInto('regions').values({ name, created_at: at }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function listAgencies(db: Executor): Promise<Agency[]> {
  const rows = await db
    .selectFrom('agencies')
    .select(agencyColumns)
    .orderBy('is_supervising', 'desc')
    .orderBy('id')
    .execute()
  return rows.map(toAgency)
}

export async function countAgencies(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('agencies')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findAgencyById(db: Executor, id: number): Promise<Agency | undefined> {
  const row = await db.selectFrom('agencies').select(agencyColumns).where('id', '=', id).executeTakeFirst()
  return row && toAgency(row)
}

export async function findAgencyByCreditCode(db: Executor, code: string): Promise<Agency | undefined> {
  const row = await db.selectFrom('agencies').select(agencyColumns).where('credit_code', '=', code).executeTakeFirst()
  return row && toAgency(row)
}

export async function findAgencyByName(db: Executor, regionId: number, name: string): Promise<Agency | undefined> {
  const row = await db
    .selectFrom('agencies')
    .select(agencyColumns)
    .where('region_id', '=', regionId)
    .where('name', '=', name)
    .executeTakeFirst()
  return row && toAgency(row)
}

export async function insertAgency(
  db: Executor,
  regionId: number,
  input: AgencyInput,
  supervising: boolean,
  at: string,
): Promise<number> {
  const row = await db
    .insertInto('agencies')
    .values({
      region_id: regionId,
      name: input.name,
      credit_code: input.creditCode,
      level: input.level,
      kind: input.kind,
      parent_id: input.parentId,
      is_supervising: supervising ? 1 : 0,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function listUnits(db: Executor, agencyId: number): Promise<Unit[]> {
  const rows = await db
    .selectFrom('units')
    .select(['id', 'agency_id', 'name', 'kind'])
    .where('agency_id', '=', agencyId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ id: r.id, agencyId: r.agency_id, name: r.name, kind: r.kind }))
}

export async function findUnitByName(db: Executor, agencyId: number, name: string) {
  return db
    .selectFrom('units')
    .select('id')
    .where('agency_id', '=', agencyId)
    .where('name', '=', name)
    .executeTakeFirst()
}

export async function insertUnit(db: Executor, agencyId: number, input: UnitInput, at: string): Promise<number> {
  const row = await db
    .insertInto('units')
    .values({ agency_id: agencyId, name: input.name, kind: input.kind, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
