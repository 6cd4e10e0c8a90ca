import { createHash, randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import path from 'node:path'
import { filesDirName } from '../backup/backup.service.ts'

// Uploaded files live under DATA_DIR/files (outside the web root, in every backup), by a server-made
// name. A file is durable before its row is written: data fsync → rename → directory fsync (DUR-02).

export type StoredFile = { key: string; size: number; sha256: string }

export function storeFile(dataDir: string, bytes: Buffer, now: Date): StoredFile {
  const key = `${now.getUTCFullYear()}/${randomBytes(16).toString('hex')}`
  const target = path.join(dataDir, filesDirName, key)
  const dir = path.dirname(target)
  mkdirSync(dir, { recursive: true })
  const temp = `${target}${partSuffix}`
  const fd = openSync(temp, 'wx', 0o600)
  try {
    try {
      writeSync(fd, bytes)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, target)
  } catch (e) {
    // A failed write (the disk full: ENOSPC) leaves no half file behind.
    rmSync(temp, { force: true })
    throw e
  }
  const dirFd = openSync(dir, 'r')
  try {
    fsyncSync(dirFd)
  } finally {
    closeSync(dirFd)
  }
  return { key, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }
}

const partSuffix = '.part'

/**
 * Removes the half-written files a process left when it died mid-write (issue #14), at start: a `.part` file is never
 * referenced by any row. Returns how many were removed.
 */
export function removeOrphanedParts(dataDir: string): number {
  const root = path.join(dataDir, filesDirName)
  if (!existsSync(root)) return 0
  let removed = 0
  for (const year of readdirSync(root, { withFileTypes: true })) {
    if (!year.isDirectory()) continue
    for (const f of readdirSync(path.join(root, year.name))) {
      if (!f.endsWith(partSuffix)) continue
      rmSync(path.join(root, year.name, f), { force: true })
      removed++
    }
  }
  return removed
}

/** A storage error that means the disk (or the quota) is full: answered 503 with a Chinese message (web/app.ts). */
export const diskFull = (e: unknown) => ['ENOSPC', 'EDQUOT'].includes((e as NodeJS.ErrnoException)?.code ?? '')

/** The first bytes of a stored file (to tell an encrypted one without reading it all). */
export function readStoredHead(dataDir: string, key: string, length: number): Buffer {
  if (!/^\d{4}\/[0-9a-f]{32}$/.test(key)) throw new Error('invalid storage key')
  const fd = openSync(path.join(dataDir, filesDirName, key), 'r')
  try {
    const head = Buffer.alloc(length)
    return head.subarray(0, readSync(fd, head, 0, length, 0))
  } finally {
    closeSync(fd)
  }
}

export function readStoredFile(dataDir: string, key: string): Buffer {
  if (!/^\d{4}\/[0-9a-f]{32}$/.test(key)) throw new Error('invalid storage key')
  return readFileSync(path.join(dataDir, filesDirName, key))
}

const signatures: { ext: string[]; type: string; test: (b: Buffer) => boolean }[] = [
  { ext: ['pdf'], type: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  {
    ext: ['docx'],
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    test: (b) => b[0] === 0x50 && b[1] === 0x4b,
  },
  {
    ext: ['xlsx'],
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    test: (b) => b[0] === 0x50 && b[1] === 0x4b,
  },
  { ext: ['jpg', 'jpeg'], type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    ext: ['png'],
    type: 'image/png',
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
]

/**
 * The content type of an allowed attachment, checked by its extension and by its first bytes (FILE-01); undefined if
 * not allowed.
 */
export function allowedType(fileName: string, bytes: Buffer): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? ''
  const sig = signatures.find((s) => s.ext.includes(ext))
  return sig && sig.test(bytes) ? sig.type : undefined
}

export const downloadDisposition = (fileName: string) =>
  `attachment; filename="file.${fileName.split('.').pop() ?? 'bin'}"; filename*=UTF-8''${encodeURIComponent(fileName)}`

/** A file's name as people see it: no path, no control characters, a sensible length. */
export const cleanFileName = (name: string) =>
  (name.split(/[\\/]/).pop() ?? 'file').replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069"]/gu, '').slice(-120) || 'file'

/** Deletes a stored file (retention); a file already gone is not an error. */
export function removeStoredFile(dataDir: string, key: string): void {
  if (!/^\d{4}\/[0-9a-f]{32}$/.test(key)) throw new Error('invalid storage key')
  rmSync(path.join(dataDir, filesDirName, key), { force: true })
}
