// Ingestion errors: the error directory grouped by cause; each file's reason and content; fix and replay (edit,
// then back to the watch directory) and delete with confirmation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ErrorFile } from '../../../../shared/types';
import { useClient } from '../../app/ClientContext';

function Detail({ file, onDone }: { file: ErrorFile; onDone: (message: string) => void }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const isFile = file.kind === 'file';
  const content = useQuery({ queryKey: ['errors:read', file.file], queryFn: () => client.call('errors:read', { file: file.file }), enabled: isFile });
  const [text, setText] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    setText(undefined);
    setConfirming(false);
  }, [file.file]);
  const edited = text !== undefined && text !== content.data?.content;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['errors:list'] });
  const replay = useMutation({
    mutationFn: () => client.call('errors:replay', edited ? { file: file.file, content: text } : { file: file.file }),
    onSuccess: (r) => {
      refresh();
      onDone(`${file.file} replayed into the watch directory as ${r.replayedAs}`);
    },
  });
  const remove = useMutation({
    mutationFn: () => client.call('errors:delete', { file: file.file }),
    onSuccess: () => {
      refresh();
      onDone(`${file.file} deleted`);
    },
  });
  const failure = replay.error ?? remove.error;
  return (
    <div className="error-detail" role="region" aria-label={`Error file ${file.file}`}>
      <h2 className="mono">{file.file}</h2>
      <dl className="facts">
        <dt>Cause</dt>
        <dd>
          {file.error} ({file.code})
        </dd>
        <dt>Reason</dt>
        <dd>{file.reason}</dd>
        <dt>When</dt>
        <dd className="mono">{file.time}</dd>
        <dt>Replays as</dt>
        <dd className="mono">{file.source}</dd>
      </dl>
      {!isFile && (
        <p className="muted">
          A {file.kind} refused from the watch directory: there is nothing to replay. Put the data file itself into the watch directory, then delete this entry.
        </p>
      )}
      {content.data?.truncated && <p className="muted">Large file: only its first 256 KB are shown; replay it unedited.</p>}
      {isFile && <textarea
        aria-label="File content"
        className="mono"
        spellCheck={false}
        value={text ?? content.data?.content ?? ''}
        readOnly={content.data?.truncated}
        onChange={(e) => setText(e.target.value)}
        rows={14}
      />}
      {failure && (
        <p role="alert" className="notice error">
          {String(failure)}
        </p>
      )}
      <div className="actions-row">
        {isFile && (
          <button type="button" disabled={replay.isPending || content.isLoading} onClick={() => replay.mutate()}>
            {edited ? 'Replay edited file' : 'Replay'}
          </button>
        )}
        {confirming ? (
          <>
            <span>Delete {file.file} for good?</span>
            <button type="button" className="danger" onClick={() => remove.mutate()}>
              Yes, delete
            </button>
            <button type="button" className="ghost" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
      </div>
    </div>
  );
}

export function ErrorsPanel() {
  const client = useClient();
  const list = useQuery({ queryKey: ['errors:list'], queryFn: () => client.call('errors:list', {}) });
  const [selected, setSelected] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const groups = new Map<string, ErrorFile[]>();
  for (const f of list.data ?? []) groups.set(f.error, [...(groups.get(f.error) ?? []), f]);
  const current = list.data?.find((f) => f.file === selected);
  return (
    <section className="panel">
      <div className="panel-head">
        <h1>Ingestion Errors</h1>
        <button type="button" className="ghost" onClick={() => void list.refetch()}>
          Refresh
        </button>
      </div>
      {notice && (
        <p role="status" className="notice ok">
          {notice}
        </p>
      )}
      {list.data && list.data.length === 0 && <p className="muted">The error directory is empty: every file was ingested.</p>}
      <div className="split">
        <nav aria-label="Failed files" className="error-groups">
          {[...groups.entries()].map(([cause, files]) => (
            <div key={cause} className="group" role="group" aria-label={cause}>
              <h3>
                {cause} <span className="muted">({files.length})</span>
              </h3>
              {files.map((f) => (
                <button key={f.file} type="button" className={f.file === selected ? 'nav active mono' : 'nav mono'} onClick={() => (setSelected(f.file), setNotice(undefined))}>
                  {f.file}
                </button>
              ))}
            </div>
          ))}
        </nav>
        {current && <Detail file={current} onDone={(m) => (setNotice(m), setSelected(undefined))} />}
      </div>
    </section>
  );
}
