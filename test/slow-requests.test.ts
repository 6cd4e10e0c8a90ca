import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { describe, expect, test } from 'vitest'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #14: a client that drips its request body a byte at a time, or opens a connection and sends nothing, must not
// hold a socket for ever (slowloris). REQUEST_TIMEOUT bounds the whole request; idle connections close sooner.

/** Opens a raw connection, runs `drip` on it, and resolves with what the server sent and when it closed. */
function exchange(port: number, drip: (write: (s: string) => void) => () => void) {
  return new Promise<{ answer: string; closedAfterMs: number }>((resolve) => {
    const started = Date.now()
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    let stop = () => undefined as void
    socket.on('connect', () => {
      stop = drip((s) => socket.write(s))
    })
    socket.on('data', (d) => (answer += d.toString('latin1')))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      stop()
      resolve({ answer, closedAfterMs: Date.now() - started })
    })
    // The test's own limit: a server that never closes fails the assertions below rather than hanging.
    setTimeout(() => socket.destroy(), 20_000)
  })
}

describe.each(databaseKinds)('slow clients on %s', (kind) => {
  test('a body dripped a byte at a time is cut off with 408 at the request deadline; a silent connection is closed', async () => {
    const t = await testApp(kind, { env: { REQUEST_TIMEOUT: '2' } })
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' })
      const port = (t.app.server.address() as AddressInfo).port
      const dripped = await exchange(port, (write) => {
        write('POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n')
        write('Content-Length: 10000\r\n\r\n')
        const timer = setInterval(() => write('a'), 250)
        return () => clearInterval(timer)
      })
      expect(dripped.answer).toMatch(/^HTTP\/1\.1 408/)
      expect(dripped.closedAfterMs).toBeLessThan(15_000)

      const silent = await exchange(port, () => () => undefined)
      expect(silent.closedAfterMs).toBeLessThan(15_000)

      // An ordinary request is untouched.
      const health = await fetch(`http://127.0.0.1:${port}/healthz`)
      expect(health.status).toBe(200)
    } finally {
      await t.close()
    }
  })
})
