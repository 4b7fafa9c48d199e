// The TSD Info browser: the files the operator recorded (tsd_info), filtered, sorted and paged by the database;
// a row opens the file's lineage (name segments, rows, archive path, status).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { RequestOf } from '../../../../shared/contract';
import type { TsdRow, TsdSortColumn } from '../../../../shared/types';
import { useClient } from '../../app/ClientContext';

type Filters = Pick<RequestOf<'tsd:query'>, 'dbms' | 'table' | 'search' | 'from' | 'to' | 'status'>;

const COLUMNS: { key: TsdSortColumn | null; title: string; value: (r: TsdRow) => string | number; numeric?: boolean }[] = [
  { key: 'id', title: 'ID', value: (r) => r.id, numeric: true },
  { key: 'dbms', title: 'DBMS', value: (r) => r.dbms },
  { key: 'table', title: 'Table', value: (r) => r.table },
  { key: 'source', title: 'Source', value: (r) => r.source },
  { key: null, title: 'Hash', value: (r) => r.hash },
  { key: 'date', title: 'Date (UTC)', value: (r) => r.date },
  { key: 'rows', title: 'Rows', value: (r) => r.rows, numeric: true },
  { key: null, title: 'Status 1', value: (r) => r.status1 },
];

const PAGE_SIZE = 50;

function Lineage({ id, onClose }: { id: number; onClose: () => void }) {
  const client = useClient();
  const lineage = useQuery({ queryKey: ['tsd:lineage', id], queryFn: () => client.call('tsd:lineage', { id }) });
  return (
    <aside className="drawer" role="dialog" aria-label={`Lineage of file ${id}`}>
      <div className="panel-head">
        <h2>File {id}</h2>
        <button type="button" className="ghost" onClick={onClose} aria-label="Close lineage">
          ✕
        </button>
      </div>
      {lineage.error && <p className="error-text">{String(lineage.error)}</p>}
      {lineage.data && (
        <>
          <dl className="facts">
            <dt>Rows</dt>
            <dd>{lineage.data.row.rows}</dd>
            <dt>Recorded</dt>
            <dd className="mono">{lineage.data.row.date} UTC</dd>
            <dt>Status</dt>
            <dd>{[lineage.data.row.status1, lineage.data.row.status2].filter(Boolean).join(' / ') || 'ingested'}</dd>
            <dt>Archive</dt>
            <dd className="mono">{lineage.data.archivePath ?? 'not in the archive'}</dd>
          </dl>
          <h3>File name segments</h3>
          <table className="grid compact" aria-label="File name segments">
            <tbody>
              {lineage.data.segments.map((s) => (
                <tr key={s.name}>
                  <th scope="row">{s.name}</th>
                  <td className="mono">{s.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </aside>
  );
}

export function TsdInfoPanel() {
  const client = useClient();
  const [draft, setDraft] = useState<Filters>({});
  const [filters, setFilters] = useState<Filters>({});
  const [sort, setSort] = useState<{ column: TsdSortColumn; direction: 'asc' | 'desc' }>({ column: 'id', direction: 'desc' });
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<number | undefined>();
  const request: RequestOf<'tsd:query'> = { ...filters, sort: sort.column, direction: sort.direction, page, pageSize: PAGE_SIZE };
  const result = useQuery({ queryKey: ['tsd:query', request], queryFn: () => client.call('tsd:query', request), placeholderData: keepPreviousData });
  const pages = result.data ? Math.max(1, Math.ceil(result.data.total / PAGE_SIZE)) : 1;
  const field = (key: keyof Filters, label: string, placeholder: string) => (
    <label>
      {label}
      <input value={draft[key] ?? ''} placeholder={placeholder} onChange={(e) => setDraft({ ...draft, [key]: e.target.value || undefined })} />
    </label>
  );
  const apply = () => {
    setFilters(draft);
    setPage(0);
  };
  const sortBy = (column: TsdSortColumn) => {
    setSort((s) => ({ column, direction: s.column === column && s.direction === 'desc' ? 'asc' : 'desc' }));
    setPage(0);
  };
  return (
    <section className="panel">
      <div className="panel-head">
        <h1>TSD Info</h1>
        <button type="button" className="ghost" onClick={() => void result.refetch()}>
          Refresh
        </button>
      </div>
      <form
        className="filters"
        aria-label="Filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        {field('dbms', 'DBMS', 'any')}
        {field('table', 'Table', 'any')}
        {field('search', 'File (source or hash)', 'start of source or hash')}
        {field('from', 'From', 'YYYY-MM-DD or -1d')}
        {field('to', 'To', 'YYYY-MM-DD')}
        {field('status', 'Status', 'any')}
        <button type="submit">Apply</button>
      </form>
      {result.error && (
        <p role="alert" className="notice error">
          {String(result.error).includes('not connected') ? 'tsd_info is not available: connect dbms almgm and create table tsd_info where dbms = almgm.' : String(result.error)}
        </p>
      )}
      <p className="muted" aria-live="polite">
        {result.data ? `${result.data.total.toLocaleString('en-US')}${result.data.totalCapped ? '+' : ''} files · page ${page + 1} of ${pages}${result.data.totalCapped ? '+' : ''}` : result.isLoading ? 'Loading…' : ''}
      </p>
      <table className="grid" aria-label="tsd_info">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.title} scope="col" aria-sort={c.key && sort.column === c.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
                {c.key ? (
                  <button type="button" className="sort" onClick={() => sortBy(c.key!)}>
                    {c.title} {sort.column === c.key ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                  </button>
                ) : (
                  c.title
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.data?.rows.map((r) => (
            <tr key={r.id} data-file-id={r.id} className="clickable" onClick={() => setOpen(r.id)}>
              {COLUMNS.map((c) => (
                <td key={c.title} className={c.numeric ? 'num mono' : c.title === 'Hash' || c.title.startsWith('Date') ? 'mono' : undefined}>
                  {c.value(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          Previous
        </button>
        <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
          Next
        </button>
      </div>
      {open !== undefined && <Lineage id={open} onClose={() => setOpen(undefined)} />}
    </section>
  );
}
