import type { FastifyInstance } from 'fastify'
import type { DatabaseKind } from '../../src/storage/database.ts'
import { buildApp } from '../../src/web/app.ts'
import { setUpRegion } from './builders.ts'
import { testEnv } from './test-deps.ts'
import type { TestEnv } from './test-deps.ts'

export type TestApp = TestEnv & { app: FastifyInstance; officeId: number }

/** The real application over a real database, for `inject()` tests; set up unless asked not to be. */
export async function testApp(
  kind: DatabaseKind,
  opts: { setUp?: boolean; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const t = await testEnv(kind, undefined, opts.env)
  const officeId = opts.setUp === false ? 0 : (await setUpRegion(t.deps)).officeId
  const app = await buildApp(t.deps, { logger: false })
  await app.ready()
  return {
    ...t,
    app,
    officeId,
    async close() {
      await app.close()
      await t.close()
    },
  }
}
