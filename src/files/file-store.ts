import { createHash, randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
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
  const temp = `${target}.part`
  const fd = openSync(temp, 'wx', 0o600)
  try {
    writeSync(fd, bytes)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, target)
  const dirFd = openSync(dir, 'r')
  try {
    fsyncSync(dirFd)
  } finally {
    closeSync(dirFd)
  }
  return { key, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }
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
