import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { Deps } from '../deps.ts'
import { countHit, readHits } from '../security/shared-counters.ts'

// @fastify/rate-limit's counters, kept in the database (security/shared-counters.ts) instead of each
// process's memory, so that N processes behind a proxy limit as one (issue #14). A route's limit is
// counted per route and address: `POST /login|203.0.113.7`.

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void

export function sharedRateLimitStore(deps: Deps): FastifyRateLimitStoreCtor {
  class SharedStore implements FastifyRateLimitStore {
    constructor(private readonly route = '') {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      countHit(deps, `rl:${this.route}|${key}`, timeWindow).then(
        ({ hits, resetAt }) => callback(null, { current: hits, ttl: resetAt - deps.clock.now().getTime() }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      )
    }

    read(key: string, callback: Callback, timeWindow: number): void {
      readHits(deps, `rl:${this.route}|${key}`, timeWindow).then(
        ({ hits, resetAt }) =>
          callback(null, { current: hits, ttl: hits === 0 ? 0 : resetAt - deps.clock.now().getTime() }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      )
    }

    // The plugin passes the route's merged options, its route among them as `routeInfo`.
    child(routeOptions: object): FastifyRateLimitStore {
      const info = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo ?? {}
      return new SharedStore(`${[info.method ?? ''].flat().join(',')} ${String(info.url ?? '')}`)
    }
  }
  return SharedStore as unknown as FastifyRateLimitStoreCtor
}
