import type { Deps } from '../deps.ts'
import { publishDueItems } from './disclosure.service.ts'

/**
 * Publishes scheduled items when their time comes, at the server's time. Every process may run it;
 * one wins each item. Returns the function that stops it and waits for a round under way.
 */
export function startPublicationScheduler(
  deps: Deps,
  opts: { everyMs?: number; onError: (err: unknown) => void },
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve()
  const timer = setInterval(() => {
    running = running.then(() => publishDueItems(deps).then(() => undefined, opts.onError))
  }, opts.everyMs ?? 30_000)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
