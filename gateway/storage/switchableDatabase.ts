import type Database from 'better-sqlite3'

type Handle = Database.Database

/** One statement that changed the database, as it was run: enough to run it again on another connection. */
export interface RecordedStatement {
  readonly source: string
  readonly method: 'run' | 'get' | 'all'
  readonly args: readonly unknown[]
}

/** What the journal does around each outermost call, and with each statement that writes. */
export interface CallInterceptor {
  /** Wraps every outermost statement call or transaction; `run` does the call on the current connection. */
  call<T>(run: () => T): T
  /** Told of every statement that writes, before it runs (inside a transaction too). */
  wrote(statement: RecordedStatement): void
}

/** A database handle whose connection can be replaced underneath the stores that prepared statements on it. */
export interface SwitchableDatabase {
  /** What the stores use: statements and transactions resolve to the current connection at each call. */
  readonly db: Handle
  current(): Handle
  /** Makes `next` current, first creating on it every schema the stores have run through `db.exec`. */
  switchTo(next: Handle): void
  /** Creates the stores' schema on `target`. */
  applySchema(target: Handle): void
}

const CALLS = new Set(['run', 'get', 'all', 'iterate'])

/**
 * The journal's database as the stores see it. It lets the journal move the
 * stores between the file and an in-memory copy when the disk fails, without
 * each store re-preparing its statements (they are prepared lazily per
 * connection), and it shows the journal every write as SQL and parameters, so
 * what ran in memory can be replayed into the file exactly, ids included.
 * Only the part of better-sqlite3 the stores use is here: prepare,
 * transaction, exec (schema), pragma, close.
 */
export function createSwitchableDatabase(initial: Handle, interceptor: CallInterceptor): SwitchableDatabase {
  let active = initial
  let depth = 0
  const schema: string[] = []

  const outermost = <T>(run: () => T): T => {
    if (depth > 0) return run()
    depth++
    try {
      return interceptor.call(run)
    } finally {
      depth--
    }
  }

  const prepare = (source: string) => {
    const prepared = new WeakMap<Handle, Database.Statement>()
    const on = (): Database.Statement => {
      let statement = prepared.get(active)
      if (!statement) {
        statement = active.prepare(source)
        prepared.set(active, statement)
      }
      return statement
    }
    on() // a syntax error shows where the store is created, as it did without this layer
    const call = (method: string, args: unknown[]) =>
      outermost(() => {
        const statement = on()
        if (!statement.readonly) {
          interceptor.wrote({ source, method: method === 'iterate' ? 'all' : (method as 'run' | 'get' | 'all'), args })
        }
        return (statement[method as 'run'] as (...a: unknown[]) => unknown).apply(statement, args)
      })
    return new Proxy({} as Database.Statement, {
      get: (_target, prop) => {
        if (typeof prop === 'string' && CALLS.has(prop)) return (...args: unknown[]) => call(prop, args)
        const statement = on()
        const value = Reflect.get(statement, prop, statement) as unknown
        return typeof value === 'function' ? value.bind(statement) : value
      },
    })
  }

  const transaction = (fn: (...args: unknown[]) => unknown) => {
    const wrapped = new WeakMap<Handle, (...args: unknown[]) => unknown>()
    return (...args: unknown[]): unknown =>
      outermost(() => {
        let tx = wrapped.get(active)
        if (!tx) {
          tx = active.transaction(fn)
          wrapped.set(active, tx)
        }
        return tx(...args)
      })
  }

  const facade = {
    prepare,
    transaction,
    exec(sql: string) {
      schema.push(sql)
      // a new table on a disk that fails degrades like a write; the schema is replayed on the next connection
      outermost(() => active.exec(sql))
      return facade
    },
    pragma: (source: string, options?: Database.PragmaOptions) => active.pragma(source, options),
    close() {
      active.close()
      return facade
    },
    get open() {
      return active.open
    },
    get inTransaction() {
      return active.inTransaction
    },
  }

  const applySchema = (target: Handle) => {
    for (const sql of schema) target.exec(sql)
  }
  return {
    // only the members above exist; the stores use no others
    db: facade as unknown as Handle,
    current: () => active,
    switchTo(next) {
      applySchema(next)
      active = next
    },
    applySchema,
  }
}
