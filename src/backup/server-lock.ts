import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'

// A running server says so in its data directory (issue #14: `gongkai restore` on a live server reported success while
// the server kept writing to the database file restore had replaced). The file holds the server's PID; restore refuses
// while that process lives. A file left by a process that died (SIGKILL, power loss) is stale and ignored.

export const serverLockName = 'server.pid'

/** The PID of the server that holds the data directory, if one is running. */
export function runningServer(dataDir: string): number | undefined {
  let pid: number
  try {
    pid = Number(readFileSync(path.join(dataDir, serverLockName), 'utf8').trim())
  } catch {
    return undefined
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined
  try {
    process.kill(pid, 0)
    return pid
  } catch (e) {
    // EPERM: the process exists but belongs to another user — it is running all the same.
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined
  }
}

/** Marks the data directory as held by this process; the returned function releases it (at shutdown). */
export function holdDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, serverLockName)
  const fd = openSync(file, 'w', 0o600)
  try {
    writeSync(fd, `${process.pid}\n`)
  } finally {
    closeSync(fd)
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true })
    } catch {
      // already gone
    }
  }
}
