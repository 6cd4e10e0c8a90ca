// Code takes a clock; tests fix it. Instants are stored as ISO-8601 UTC strings on both databases.
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that stands still until moved; for tests and the CLI's dry runs. */
export class FixedClock implements Clock {
  private current: number
  constructor(start: string | Date) {
    this.current = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.current)
  }
  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000
  }
  advanceDays(days: number): void {
    this.current += days * 86_400_000
  }
  set(to: string | Date): void {
    this.current = new Date(to).getTime()
  }
}

export const isoNow = (clock: Clock): string => clock.now().toISOString()

const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  // hour12:false renders midnight as "24:00"; h23 does not (security-and-reliability.md TIME-05).
  hourCycle: 'h23',
})

/** Shows a stored UTC instant in Beijing time, e.g. 2026-11-26 12:00:00. */
export function formatShanghai(iso: string): string {
  const parts = Object.fromEntries(shanghai.formatToParts(new Date(iso)).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}
