import type { Logger } from 'pino'
import type { Clock } from './clock.ts'
import type { Config } from './config.ts'
import type { FieldCipher } from './security/crypto.ts'
import type { Keys } from './security/keys.ts'
import type { DatabaseKind, Db } from './storage/database.ts'

/** What every use case may reach: built once in main.ts (and once per test), passed as a plain value. */
export type Deps = Readonly<{
  db: Db
  kind: DatabaseKind
  clock: Clock
  keys: Keys
  fields: FieldCipher
  log: Logger
  config: Config
  /** The migration name the database is at, read at start (healthz). */
  schemaVersion: string
}>
