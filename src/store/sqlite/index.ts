/**
 * The SQLite backend (in progress: helper P1 moves today's SQL here behind ../types).
 */
import type { OpenStoreOptions, Store } from '../types';

export async function openSqliteStore(file: string, opts: OpenStoreOptions = {}): Promise<Store> {
  void file;
  void opts;
  throw new Error('openSqliteStore: not implemented yet');
}
