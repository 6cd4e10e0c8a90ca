import type { Kysely } from 'kysely'
import { FieldCipher } from '../../security/crypto.ts'
import type { DatabaseKind } from '../database.ts'

// Issue #14. The applicant's 查询码 was kept as ciphertext, so anyone holding the field key could read
// every code back and track (and download the letters of) any application. It is now kept as a keyed
// hash: an HMAC-SM3 under a key derived from the field key (FieldCipher.blindIndex), bound to the
// application's number. The code can be checked, never shown again: it is shown once, on submission.
// This migration hashes the codes already stored and drops the ciphertext column, so it needs the field
// key when there are codes to convert (createDeps and `gongkai migrate` give it).
// It also adds the digest of what was submitted under an idempotency key, so that a key reused with a
// different application is refused instead of answered with the first one's receipt.
//
// Down: the columns come back empty; the codes cannot be recovered from their hashes.

/** Frozen: how a code was hashed when this migration ran (applicant-data.ts queryCodeHash does the same). */
const hashV1 = (cipher: FieldCipher, number: string, code: string) =>
  cipher.blindIndex(`${number}\n${code.toUpperCase()}`, 'query code v1')
/** Frozen: the additional data the codes were encrypted with (applicant-data.ts fieldAad). */
const aadV1 = (number: string) => `application:${number}:query_code`

type Applications = {
  applications: {
    id: number
    number: string
    query_code_enc: string | null
    query_code_hash: string | null
  }
}

export function queryCodeHash(_kind: DatabaseKind, fieldKey: Buffer | undefined) {
  return {
    async up(db: Kysely<unknown>) {
      const k = db as unknown as Kysely<Applications>
      // Read and checked before any change: SQLite runs a migration's DDL outside a transaction.
      const rows = await k
        .selectFrom('applications')
        .select(['id', 'number', 'query_code_enc'])
        .where('query_code_enc', 'is not', null)
        .orderBy('id')
        .execute()
      if (rows.length > 0 && !fieldKey)
        throw new Error('转换查询码需要字段加密密钥（GONGKAI_FIELD_KEY、KEY_FILE 或数据目录中的 keys.json）')
      await db.schema.alterTable('applications').addColumn('query_code_hash', 'text').execute()
      await db.schema.alterTable('applications').addColumn('idempotency_digest', 'text').execute()
      const cipher = fieldKey && new FieldCipher(fieldKey)
      for (const r of cipher ? rows : []) {
        const code = cipher!.decrypt(r.query_code_enc!, aadV1(r.number))
        await k
          .updateTable('applications')
          .set({ query_code_hash: hashV1(cipher!, r.number, code) })
          .where('id', '=', r.id)
          .execute()
      }
      await db.schema.alterTable('applications').dropColumn('query_code_enc').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('applications').addColumn('query_code_enc', 'text').execute()
      await db.schema.alterTable('applications').dropColumn('idempotency_digest').execute()
      await db.schema.alterTable('applications').dropColumn('query_code_hash').execute()
    },
  }
}
