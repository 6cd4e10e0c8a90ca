import { sql } from 'kysely'
import type { Executor } from '../storage/database.ts'

// The public portal's pages are served from a render cache (web/page-cache.ts). Every use case that
// changes what the portal shows — publishing, scheduled publishing, withdrawing, correcting, a report
// published, a setting shown on the portal — calls `publicContentChanged` inside its transaction.
// It moves the site's generation in the database, which every process reads at most once a second
// (so another process or the CLI is seen within a second), and tells the caches of this process at
// once which generation the change will be seen as once its transaction commits.

type Listener = (generation: number) => void
const listeners = new Set<Listener>()

/** Marks the public portal's content as changed; call it in the transaction that changes it. */
export async function publicContentChanged(db: Executor): Promise<void> {
  const moved = await sql<{
    generation: number | string
  }>`update site_state set generation = generation + 1 where id = 1 returning generation`.execute(db)
  const generation = Number(moved.rows[0]?.generation ?? 0)
  for (const listener of listeners) listener(generation)
}

/** Lets a render cache of this process hear of a change at once; returns the function that stops it. */
export function onPublicContentChanged(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

const seen = new WeakMap<object, number>()

/** The site's current generation: a cache holds pages rendered at one generation only. */
export async function siteGeneration(db: Executor): Promise<number> {
  const row = await db.selectFrom('site_state').select('generation').where('id', '=', 1).executeTakeFirst()
  const generation = Number(row?.generation ?? 0)
  seen.set(db, generation)
  return generation
}

/**
 * The generation this process last read for the database (the render cache reads it before each public
 * page, at most once a second): what a page's other cached inputs, such as the footer, are checked against.
 */
export const seenSiteGeneration = (db: Executor): number | undefined => seen.get(db)
