import type { Executor } from '../storage/database.ts'

export async function readSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  return row?.value
}

export async function writeSetting(
  db: Executor,
  key: string,
  value: string,
  by: number | null,
  at: string,
): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at, updated_by: by }))
    .execute()
  generation++
}

// Settings read on every submission (the clock's reading of 109号, the frequent-applicant threshold)
// are kept per Deps for five seconds; any write in this process drops them at once.
let generation = 0
const cache = new WeakMap<object, Map<string, { at: number; generation: number; value: string | undefined }>>()

/** Moves with every write of a setting in this process: a value kept from before is read again. */
export const settingsGeneration = () => generation

export async function readSettingCached(scope: object, db: Executor, key: string): Promise<string | undefined> {
  let entries = cache.get(scope)
  if (!entries) cache.set(scope, (entries = new Map()))
  const hit = entries.get(key)
  if (hit && hit.generation === generation && Date.now() - hit.at < 5000) return hit.value
  const value = await readSetting(db, key)
  entries.set(key, { at: Date.now(), generation, value })
  return value
}

export async function deleteSetting(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute()
  generation++
}
