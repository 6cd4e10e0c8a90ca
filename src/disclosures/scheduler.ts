import type { Deps } from '../deps.ts'
import { publishDueItems } from './disclosure.service.ts'

/**
 * Publishes scheduled items when their time comes, at the server's time: a first round at start
 * (what came due while no process ran goes out at once), then every `everyMs`. Every process may
 * run it; one wins each item (publishItem is conditional), so each goes out exactly once. Returns
 * the function that stops it and waits for a round under way.
 */
export function startPublicationScheduler(
  deps: Deps,
  opts: { everyMs?: number; onError: (err: unknown) => void },
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve()
  const round = () => {
    running = running.then(() => publishDueItems(deps).then(() => undefined, opts.onError))
  }
  const first = setImmediate(round)
  const timer = setInterval(round, opts.everyMs ?? 30_000)
  timer.unref()
  return async () => {
    clearImmediate(first)
    clearInterval(timer)
    await running
  }
}
