// The worker thread of sqlite-reader.ts: its own connection to the database file, which only reads (query_only), runs
// the queries it is sent one at a time and posts their rows. Plain JavaScript, so that it runs the same beside the
// sources and in the compiled tree (dist/), without a loader.
import { createRequire } from 'node:module'
import { parentPort, workerData } from 'node:worker_threads'

const require = createRequire(import.meta.url)
const Database = require('better-sqlite3')
const db = new Database(workerData.file, { fileMustExist: true })
db.pragma('busy_timeout = 5000')
db.pragma('query_only = 1')
db.pragma('cache_size = -32768')
const statements = new Map()
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let statement = statements.get(sql)
    if (!statement) {
      if (statements.size >= 200) statements.clear()
      statement = db.prepare(sql)
      statements.set(sql, statement)
    }
    parentPort.postMessage({ id, rows: statement.all(...parameters) })
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) })
  }
})
