/**
 * The PostgreSQL backend (helper P2 owns this file; placeholder so that src/store/index.ts compiles).
 */
import type { OpenStoreOptions, Store } from '../types';

export async function openPostgresStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  void url;
  void opts;
  throw new Error('openPostgresStore: not implemented yet');
}
