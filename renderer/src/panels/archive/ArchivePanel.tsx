// The Archive navigator: year / month / day folders of !archive_dir, the files of a day with size and time, a
// decompressed preview, and re-ingest (the file back into the watch directory).
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useClient } from '../../app/ClientContext';

const LEVELS = ['Year', 'Month', 'Day'];

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ArchivePanel() {
  const client = useClient();
  const [path, setPath] = useState<string[]>([]);
  const [preview, setPreview] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const where = path.join('/');
  const listing = useQuery({ queryKey: ['archive:list', where], queryFn: () => client.call('archive:list', { path: where }) });
  const content = useQuery({ queryKey: ['archive:preview', preview], queryFn: () => client.call('archive:preview', { path: preview! }), enabled: preview !== undefined });
  const reingest = useMutation({
    mutationFn: (file: string) => client.call('archive:reingest', { path: `${where}/${file}` }),
    onSuccess: (r) => setNotice(`Copied into the watch directory as ${r.reingestedAs}; the operator reports a duplicate if its rows are still recorded.`),
  });
  const go = (next: string[]) => {
    setPath(next);
    setPreview(undefined);
    setNotice(undefined);
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
        <p role="status" className="notice ok">
          {notice}
        </p>
      )}
      {reingest.error && (
        <p role="alert" className="notice error">
          {String(reingest.error)}
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
                  <button type="button" disabled={reingest.isPending} onClick={() => reingest.mutate(f.name)} aria-label={`Re-ingest ${f.name}`}>
                    Re-ingest
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
