/** A store written synchronously against better-sqlite3, before it is ported to SqlDatabase. */
export type SyncOf<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K] };
