// Opens a connection from a ConnectionSpec: another connection to a database the node already has open (the
// operator's ingestion workers each hold their own).
import type { ConnectionSpec, DbmsAdapter } from './adapter.js';
import { PsqlAdapter } from './psql.js';
import { SqliteAdapter } from './sqlite.js';

export async function openAdapter(spec: ConnectionSpec, options: { busyTimeoutMs?: number } = {}): Promise<DbmsAdapter> {
  if (spec.engine === 'sqlite') return new SqliteAdapter(spec.path, options);
  const { engine: _engine, ...config } = spec;
  return PsqlAdapter.connect(config);
}
