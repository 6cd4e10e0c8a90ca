import { AppError } from '../errors.ts'

// Searches that score every match, kept from piling up (issue #15). A relevance page the lists cannot prove (a deep
// page, a substring across words) reads the tokens of every match: at 1,000,000 items a common phrase's page 101 took
// about a minute of a core on PostgreSQL, on a pooled connection held throughout, and 2 s of SQLite's one reader
// thread. A crawler asking for many such pages at once would take every connection of the pool and stop the portal
// (PostgreSQL) or queue without end behind the reader (SQLite). So at most `concurrency` run at once per database in
// each process, at most `waiting` more wait their turn, and a search past that is refused at once: 503, in Chinese,
// with the other pages and the lists' own answers unaffected.

export type FullScoringLimits = Readonly<{ concurrency: number; waiting: number; maxWaitMs?: number }>

export const busyMessage = '检索请求较多，本次按相关度排序的检索未能执行。请稍后再试，或改为按日期排序、缩小检索范围。'

/**
 * How long a search waits its turn before it is refused: about a proxy's usual timeout and less, so that a visitor
 * gone by then does not leave a search to run for nobody, and a crawler that asks and hangs up holds no place long.
 */
const defaultMaxWaitMs = 20_000

type Waiting = { turn(): void; timer: NodeJS.Timeout }

export class FullScoringGate {
  #running = 0
  readonly #queue: Waiting[] = []

  constructor(readonly limits: FullScoringLimits) {}

  /** Searches scoring now, and waiting. */
  get load() {
    return { running: this.#running, waiting: this.#queue.length }
  }

  async run<T>(score: () => Promise<T>): Promise<T> {
    if (this.#running < this.limits.concurrency) this.#running++
    else if (this.#queue.length < this.limits.waiting) await this.#wait()
    else throw new AppError('busy', busyMessage)
    try {
      return await score()
    } finally {
      // The slot passes to the longest waiting, if any.
      const next = this.#queue.shift()
      if (next) {
        clearTimeout(next.timer)
        next.turn()
      } else this.#running--
    }
  }

  #wait(): Promise<void> {
    return new Promise<void>((turn, refuse) => {
      const waiting: Waiting = {
        turn,
        timer: setTimeout(() => {
          this.#queue.splice(this.#queue.indexOf(waiting), 1)
          refuse(new AppError('busy', busyMessage))
        }, this.limits.maxWaitMs ?? defaultMaxWaitMs),
      }
      this.#queue.push(waiting)
    })
  }
}

const gates = new WeakMap<object, FullScoringGate>()

/** Limits the searches that score every match on this database (createDeps, from the configuration). */
export function limitFullScoring(db: object, limits: FullScoringLimits): FullScoringGate {
  const gate = new FullScoringGate(limits)
  gates.set(db, gate)
  return gate
}

/** The gate of a database; a transaction, or a database opened without one, is not limited. */
export const fullScoringGate = (db: object): FullScoringGate | undefined => gates.get(db)
