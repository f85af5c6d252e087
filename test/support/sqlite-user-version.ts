import Database from 'better-sqlite3';

/** A SQLite file's `user_version`, read without changing the file. */
export function userVersion(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true });
  } finally {
    db.close();
  }
}
