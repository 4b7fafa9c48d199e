// Re-ingest asks first: the rows the archived file will add and the name it goes back under, or, when its hash is
// recorded in tsd_info, why the operator would refuse it as a duplicate (then there is nothing to confirm).
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReingestResult } from '../../../../shared/types';
import { useClient } from '../../app/ClientContext';

/** `1 row`, `374 rows`. */
export function rowCount(n: number): string {
  return `${n} ${n === 1 ? 'row' : 'rows'}`;
}

export function ReingestDialog({ path, onClose, onDone }: { path: string; onClose: () => void; onDone: (result: ReingestResult) => void }) {
  const client = useClient();
  const name = path.split('/').pop()!;
  const plan = useQuery({ queryKey: ['archive:reingest-plan', path], queryFn: () => client.call('archive:reingest-plan', { path }), staleTime: 0, gcTime: 0 });
  const reingest = useMutation({ mutationFn: () => client.call('archive:reingest', { path }), onSuccess: onDone });
  const p = plan.data;
  return (
    <aside className="drawer" role="dialog" aria-label={`Re-ingest ${name}`}>
      <div className="panel-head">
        <h2>Re-ingest</h2>
        <button type="button" className="ghost" onClick={onClose} aria-label="Close re-ingest">
          ✕
        </button>
      </div>
      <p className="mono">{name}</p>
      {plan.isPending && <p className="muted">Counting its rows…</p>}
      {plan.error && <p className="error-text">{String(plan.error)}</p>}
      {p?.recorded && (
        <p role="note" className="notice error">
          Already ingested: its hash {p.hash} is recorded in tsd_info (id {p.recorded.id}, {p.recorded.time} UTC, {rowCount(p.recorded.rows)}). The operator
          would refuse it as a duplicate, so there is nothing to re-ingest. To load it again, delete its rows and its tsd_info record first.
        </p>
      )}
      {p && !p.recorded && (
        <>
          <p role="note">
            Adds <strong>{rowCount(p.rows)}</strong> to {p.dbms}.{p.table}: the file goes back to the watch directory as{' '}
            <span className="mono">{p.reingestAs}</span>, its hash kept, so the operator records it under the same identity.
          </p>
          {!p.tsdInfo && <p className="notice error">tsd_info is not kept on this node (almgm.tsd_info is missing): a duplicate cannot be detected, and rows already stored would be stored again.</p>}
          {!p.operatorRunning && <p className="muted">The operator is not running: the file waits in the watch directory until it starts.</p>}
          {reingest.error && <p className="error-text">{String(reingest.error)}</p>}
          <div className="dialog-actions">
            <button type="button" disabled={reingest.isPending} onClick={() => reingest.mutate()}>
              Re-ingest {rowCount(p.rows)}
            </button>
            <button type="button" className="ghost" onClick={onClose}>
              Cancel
            </button>
          </div>
        </>
      )}
    </aside>
  );
}
