import type { Deps } from '../deps.ts'
import { createDeps } from '../main.ts'

// The commands that work on the data open it here, and close it when done.

export async function withDeps(fn: (deps: Deps) => Promise<number>, migrate = true): Promise<number> {
  const deps = await createDeps({ migrate })
  try {
    return await fn(deps)
  } finally {
    await deps.db.destroy()
  }
}
