// The Archive navigator: year / month / day folders of !archive_dir, the files of a day with size and time, a
// decompressed preview, and re-ingest (asked first, then the file back into the watch directory; the operator's
// outcome for it, pushed as `operator:files`, is shown when it arrives).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FileOutcome, ReingestResult } from '../../../../shared/types';
import { useClient } from '../../app/ClientContext';
import { ReingestDialog, rowCount } from './ReingestDialog';

const LEVELS = ['Year', 'Month', 'Day'];

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What the operator did with a re-ingested file, in words. */
function outcomeText(o: FileOutcome): { text: string; ok: boolean } {
  if (o.status === 'ingested') return { ok: true, text: `${o.file}: ingested, ${rowCount(o.rows ?? 0)} added to ${o.dbms}.${o.table}.` };
  if (o.code === 86) return { ok: false, text: `${o.file}: refused by the operator as a duplicate (${o.reason ?? 'its hash is recorded'}).` };
  return { ok: false, text: `${o.file}: failed (error ${o.code}): ${o.reason ?? ''}` };
}

export function ArchivePanel() {
  const client = useClient();
  const queryClient = useQueryClient();
  const [path, setPath] = useState<string[]>([]);
  const [preview, setPreview] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ text: string; ok: boolean } | undefined>();
  const [confirming, setConfirming] = useState<string | undefined>();
  /** The name a re-ingested file went back under, until the operator's outcome for it arrives. */
  const waiting = useRef<string | undefined>(undefined);
  const where = path.join('/');
  const listing = useQuery({ queryKey: ['archive:list', where], queryFn: () => client.call('archive:list', { path: where }) });
  const content = useQuery({ queryKey: ['archive:preview', preview], queryFn: () => client.call('archive:preview', { path: preview! }), enabled: preview !== undefined });
  useEffect(
    () =>
      client.bridge.subscribe('operator:files', (outcomes) => {
        const o = outcomes.find((x) => x.file === waiting.current);
        if (!o) return;
        waiting.current = undefined;
        setNotice(outcomeText(o));
        void queryClient.invalidateQueries({ queryKey: ['archive:list'] }); // an ingested file is archived again
      }),
    [client, queryClient],
  );
  const reingested = (r: ReingestResult) => {
    setConfirming(undefined);
    if (r.status === 'duplicate') {
      setNotice({ ok: false, text: r.message });
      return;
    }
    waiting.current = r.reingestedAs;
    setNotice({ ok: true, text: `Copied into the watch directory as ${r.reingestedAs} (${rowCount(r.rows)}); waiting for the operator…` });
  };
  const go = (next: string[]) => {
    setPath(next);
    setPreview(undefined);
    setNotice(undefined);
    setConfirming(undefined);
  };
  return (
    <section className="panel">
      <div className="panel-head">
        <h1>Archive</h1>
        <button type="button" className="ghost" onClick={() => void listing.refetch()}>
          Refresh
        </button>
      </div>
      <nav aria-label="Archive path" className="breadcrumbs">
        <button type="button" className="ghost" onClick={() => go([])}>
          archive
        </button>
        {path.map((p, i) => (
          <span key={i}>
            {' / '}
            <button type="button" className="ghost" onClick={() => go(path.slice(0, i + 1))}>
              {p}
            </button>
          </span>
        ))}
      </nav>
      {notice && (
        <p role="status" className={`notice ${notice.ok ? 'ok' : 'error'}`}>
          {notice.text}
        </p>
      )}
      {listing.data && path.length < 3 && (
        <div className="folders" role="list" aria-label={`${LEVELS[path.length]} folders`}>
          {listing.data.directories.length === 0 && <p className="muted">Nothing archived yet.</p>}
          {listing.data.directories.map((d) => (
            <div key={d} role="listitem">
              <button type="button" className="folder" onClick={() => go([...path, d])}>
                {LEVELS[path.length]} {d}
              </button>
            </div>
          ))}
        </div>
      )}
      {listing.data && path.length === 3 && (
        <table className="grid" aria-label="Archived files">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">Archived</th>
              <th scope="col" className="actions">
                Actions
              </th>
            </tr>
          </thead>
          <tbody>
            {listing.data.files.map((f) => (
              <tr key={f.name} data-archive-file={f.name}>
                <td className="mono">{f.name}</td>
                <td className="num">{size(f.size)}</td>
                <td className="mono">{f.time.replace('T', ' ').slice(0, 19)}</td>
                <td className="actions">
                  <button type="button" onClick={() => setPreview(`${where}/${f.name}`)} aria-label={`Preview ${f.name}`}>
                    Preview
                  </button>
                  <button type="button" onClick={() => setConfirming(`${where}/${f.name}`)} aria-label={`Re-ingest ${f.name}`}>
                    Re-ingest
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirming && <ReingestDialog key={confirming} path={confirming} onClose={() => setConfirming(undefined)} onDone={reingested} />}
      {preview && (
        <div className="preview" role="region" aria-label="Preview">
          <h2 className="mono">{preview.split('/').pop()}</h2>
          {content.data?.truncated && <p className="muted">First 256 KB shown.</p>}
          <pre className="output">{content.data?.content ?? 'Loading…'}</pre>
        </div>
      )}
    </section>
  );
}
