import { sql } from 'kysely'
import type { Executor } from '../storage/database.ts'

// The public portal's pages are served from a render cache (web/page-cache.ts). Every use case that
// changes what the portal shows — publishing, scheduled publishing, withdrawing, correcting, a report
// published, a setting shown on the portal — calls `publicContentChanged` inside its transaction.
// It moves the site's generation in the database, which every process reads at most once a second
// (so another process or the CLI is seen within a second), and tells the caches of this process at
// once which generation the change will be seen as once its transaction commits.
//
// Item pages are also kept across generations, compressed, in stored_pages (web/page-store.ts). A change
// that names the item pages it changes (`{ itemPages }`: an item published, withdrawn or marked repealed,
// and the items on the other side of its 政策解读 relation) deletes those rows and leaves the others; a
// change that names none may touch every page (an agency or column renamed, the footer, an import) and
// moves the layout generation, so that no stored page is served again until rendered anew. Naming pages
// is the exception: a caller that forgets gets the safe default.

type Listener = (generation: number) => void
const listeners = new Set<Listener>()

/**
 * Marks the public portal's content as changed; call it in the transaction that changes it. `itemPages`
 * names every item whose own page the change touches, when it touches no other page than lists; it is
 * asked after the generation has moved, which on PostgreSQL waits for any other change of public content
 * to commit first (they all move the one row), so it sees every item published before. Without it, or
 * when it answers 'all', every stored page is taken as changed.
 */
export async function publicContentChanged(
  db: Executor,
  scope?: { itemPages: () => Promise<readonly number[] | 'all'> },
): Promise<void> {
  const moved = await sql<{
    generation: number | string
  }>`update site_state set generation = generation + 1 where id = 1 returning generation`.execute(db)
  const pages = scope ? await scope.itemPages() : 'all'
  if (pages === 'all')
    await sql`update site_state set layout_generation = layout_generation + 1 where id = 1`.execute(db)
  else
    for (let i = 0; i < pages.length; i += 500)
      await db
        .deleteFrom('stored_pages')
        .where('item_id', 'in', [...new Set(pages.slice(i, i + 500))])
        .execute()
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
  return (await siteGenerations(db)).generation
}

/** The site's generation and its layout generation (what a stored page was rendered at), read together. */
export async function siteGenerations(db: Executor): Promise<{ generation: number; layout: number }> {
  const row = await db
    .selectFrom('site_state')
    .select(['generation', 'layout_generation'])
    .where('id', '=', 1)
    .executeTakeFirst()
  const generation = Number(row?.generation ?? 0)
  seen.set(db, generation)
  return { generation, layout: Number(row?.layout_generation ?? 0) }
}

/**
 * The generation this process last read for the database (the render cache reads it before each public
 * page, at most once a second): what a page's other cached inputs, such as the footer, are checked against.
 */
export const seenSiteGeneration = (db: Executor): number | undefined => seen.get(db)
