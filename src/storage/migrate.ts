import { Migrator } from 'kysely'
import type { Migration, MigrationProvider } from 'kysely'
import type { DatabaseKind, Db } from './database.ts'
import { foundation } from './migrations/2026-11-26-01-foundation.ts'
import { annualReports } from './migrations/2026-11-26-02-annual-reports.ts'
import { applicationsCore } from './migrations/2026-11-26-03-applications-core.ts'
import { reviews } from './migrations/2026-11-26-04-reviews.ts'
import { disclosures } from './migrations/2026-11-26-05-disclosures.ts'
import { search } from './migrations/2026-11-26-06-search.ts'
import { holidayCalendar } from './migrations/2026-11-26-07-holiday-calendar.ts'
import { siteState } from './migrations/2026-11-26-08-site-state.ts'
import { requests } from './migrations/2026-11-26-09-requests.ts'
import { auditHead } from './migrations/2026-11-26-10-audit-head.ts'
import { activities } from './migrations/2026-11-26-11-activities.ts'
import { jobs } from './migrations/2026-11-26-12-jobs.ts'
import { letterFacts } from './migrations/2026-12-05-01-letter-facts.ts'
import { provisionalDue } from './migrations/2026-12-05-03-provisional-due.ts'
import { mailOutbox } from './migrations/2026-12-05-04-mail-outbox.ts'
import { siteSettings } from './migrations/2026-12-05-05-site-settings.ts'
import { queryCodeHash } from './migrations/2026-12-06-01-query-code-hash.ts'
import { passwordReset } from './migrations/2026-12-06-02-password-reset.ts'
import { sharedLimits } from './migrations/2026-12-06-03-shared-limits.ts'
import { reviewIntegrity } from './migrations/2026-12-06-04-review-integrity.ts'
import { searchKeys } from './migrations/2026-12-07-01-search-keys.ts'
import { scaleIndexes } from './migrations/2026-12-07-02-scale-indexes.ts'
import { searchRanking } from './migrations/2026-12-07-05-search-ranking.ts'
import { sanitisedBody } from './migrations/2026-12-08-02-sanitised-body.ts'
import { itemNames } from './migrations/2026-12-08-03-item-names.ts'
import { storedPages } from './migrations/2026-12-09-01-stored-pages.ts'

/** What some migrations need beyond the database: the field key, to convert encrypted values. */
export type MigrationKeys = { field: Buffer } | undefined

// Migrations are listed in code, in order; each name is dated so that the order is the name order.
const migrationsFor = (kind: DatabaseKind, keys?: MigrationKeys): Record<string, Migration> => ({
  '2026-11-26-01-foundation': foundation(kind),
  '2026-11-26-02-annual-reports': annualReports(kind),
  '2026-11-26-03-applications-core': applicationsCore(kind),
  '2026-11-26-04-reviews': reviews(kind),
  '2026-11-26-05-disclosures': disclosures(kind),
  '2026-11-26-06-search': search(kind),
  '2026-11-26-07-holiday-calendar': holidayCalendar(kind),
  '2026-11-26-08-site-state': siteState(kind),
  '2026-11-26-09-requests': requests(kind),
  '2026-11-26-10-audit-head': auditHead(kind),
  '2026-11-26-11-activities': activities(kind),
  '2026-11-26-12-jobs': jobs(kind),
  '2026-12-05-01-letter-facts': letterFacts(kind),
  '2026-12-05-03-provisional-due': provisionalDue(kind),
  '2026-12-05-04-mail-outbox': mailOutbox(kind),
  '2026-12-05-05-site-settings': siteSettings(kind),
  '2026-12-06-01-query-code-hash': queryCodeHash(kind, keys?.field),
  '2026-12-06-02-password-reset': passwordReset(kind),
  '2026-12-06-03-shared-limits': sharedLimits(kind),
  '2026-12-06-04-review-integrity': reviewIntegrity(kind),
  '2026-12-07-01-search-keys': searchKeys(kind),
  '2026-12-07-02-scale-indexes': scaleIndexes(kind),
  '2026-12-07-05-search-ranking': searchRanking(kind),
  '2026-12-08-02-sanitised-body': sanitisedBody(kind),
  '2026-12-08-03-item-names': itemNames(kind),
  '2026-12-09-01-stored-pages': storedPages(kind),
})

export const latestSchemaVersion = (kind: DatabaseKind): string => Object.keys(migrationsFor(kind)).sort().at(-1) ?? ''

function migratorFor(db: Db, kind: DatabaseKind, keys?: MigrationKeys) {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(kind, keys) }
  return new Migrator({ db, provider })
}

/** Brings the schema up to date; each migration runs in its own transaction. */
export async function migrateToLatest(db: Db, kind: DatabaseKind, keys?: MigrationKeys): Promise<string[]> {
  const { error, results } = await migratorFor(db, kind, keys).migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** Brings the schema up (or down) to the named migration: for tests of a migration over existing data. */
export async function migrateTo(db: Db, kind: DatabaseKind, name: string, keys?: MigrationKeys): Promise<void> {
  const { error } = await migratorFor(db, kind, keys).migrateTo(name)
  if (error) throw error instanceof Error ? error : new Error(String(error))
}

/** The name of the newest migration applied, or '' on an empty database. */
export async function currentSchemaVersion(db: Db, kind: DatabaseKind): Promise<string> {
  const all = await migratorFor(db, kind).getMigrations()
  return (
    all
      .filter((m) => m.executedAt)
      .map((m) => m.name)
      .sort()
      .at(-1) ?? ''
  )
}
