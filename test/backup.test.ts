import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { createAgency } from '../src/agencies/agency.service.ts'
import { listAgencies } from '../src/agencies/agency.store.ts'
import { systemActor } from '../src/audit/audit.ts'
import { keyFileName } from '../src/security/keys.ts'
import { buildStaff } from './support/builders.ts'
import { gongkai } from './support/cli.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

describe.each(databaseKinds)('backup and restore on %s', (kind) => {
  test('a backup taken while running brings back the data, the uploaded files and a verifying audit chain, and holds no keys', async () => {
    const t = await testEnv(kind)
    try {
      await buildStaff(t.deps, { roles: ['drafter'] })
      mkdirSync(path.join(t.env.DATA_DIR!, 'files', '2026'), { recursive: true })
      writeFileSync(path.join(t.env.DATA_DIR!, 'files', '2026', 'a.txt'), '附件内容')
      const file = path.join(t.env.DATA_DIR!, '..', `gk-backup-${process.pid}-${kind}.tar.gz`)
      const made = await gongkai(['backup', file], t.env)
      expect(made.code, made.stderr).toBe(0)
      const listing = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' })
      expect(listing).toContain('manifest.json')
      expect(listing).not.toContain(keyFileName)
      const keys = JSON.parse(readFileSync(path.join(t.env.DATA_DIR!, keyFileName), 'utf8')) as Record<string, string>
      const raw = execFileSync('sh', ['-c', `tar -xzOf '${file}' | cat`], { maxBuffer: 1 << 28 }).toString('latin1')
      for (const k of Object.values(keys)) expect(raw).not.toContain(k)

      // Changes after the backup, then the restore, as an operator does it: server stopped.
      await createAgency(t.deps, systemActor(), {
        name: '垫江县司法局',
        creditCode: '11500231MB1530120U',
        level: '县级',
        kind: '政府部门',
        parentId: null,
      })
      writeFileSync(path.join(t.env.DATA_DIR!, 'files', '2026', 'b.txt'), '备份之后')
      expect(await listAgencies(t.deps.db)).toHaveLength(2)
      await t.deps.db.destroy()
      const restored = await gongkai(['restore', file], t.env)
      expect(restored.code, restored.stderr).toBe(0)
      expect(restored.stdout).toContain('审计链校验通过')
      const verified = await gongkai(['audit', 'verify'], t.env)
      expect(verified.code).toBe(0)

      const { createDeps } = await import('../src/main.ts')
      const { loadConfig } = await import('../src/config.ts')
      const again = await createDeps({ config: loadConfig(t.env) })
      try {
        expect((await listAgencies(again.db)).map((a) => a.name)).toEqual(['垫江县人民政府办公室'])
      } finally {
        await again.db.destroy()
      }
      expect(readFileSync(path.join(t.env.DATA_DIR!, 'files', '2026', 'a.txt'), 'utf8')).toBe('附件内容')
      expect(existsSync(path.join(t.env.DATA_DIR!, 'files', '2026', 'b.txt'))).toBe(false)
      rmSync(file)
    } finally {
      await t.close().catch(() => undefined)
    }
  })

  test('a restore with other keys says "密钥与备份不符" once and replaces nothing (issue #14)', async () => {
    const t = await testEnv(kind)
    try {
      await buildStaff(t.deps, { roles: ['drafter'] })
      const file = path.join(t.env.DATA_DIR!, '..', `gk-backup-keys-${process.pid}-${kind}.tar.gz`)
      const made = await gongkai(['backup', file], t.env)
      expect(made.code, made.stderr).toBe(0)
      await createAgency(t.deps, systemActor(), {
        name: '垫江县司法局',
        creditCode: '11500231MB1530120U',
        level: '县级',
        kind: '政府部门',
        parentId: null,
      })
      await t.deps.db.destroy()
      // The operator restores on a machine holding other keys.
      const keyFile = path.join(t.env.DATA_DIR!, keyFileName)
      const other = { session: 'a'.repeat(64), audit: 'b'.repeat(64), field: 'c'.repeat(64) }
      writeFileSync(keyFile, JSON.stringify(other))
      const restored = await gongkai(['restore', file], t.env)
      expect(restored.code).toBe(1)
      expect(restored.stderr.match(/密钥与备份不符/g)).toHaveLength(1)
      expect(restored.stderr).not.toContain('内容被修改')
      expect(restored.stderr.trim().split('\n')).toHaveLength(1)

      const { createDeps } = await import('../src/main.ts')
      const { loadConfig } = await import('../src/config.ts')
      const again = await createDeps({ config: loadConfig(t.env), migrate: false })
      try {
        // Nothing was replaced: the agency made after the backup is still there.
        expect(await listAgencies(again.db)).toHaveLength(2)
      } finally {
        await again.db.destroy()
      }
      rmSync(file)
    } finally {
      await t.close().catch(() => undefined)
    }
  })
})
