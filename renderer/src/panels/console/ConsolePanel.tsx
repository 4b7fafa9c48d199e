// The Console panel: type a command of the EdgeLake language, see its output as EdgeLake's CLI prints it, JSON
// replies also as a tree; Up/Down walk the history.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { queryKeys } from '../../api/client';
import { useClient } from '../../app/ClientContext';
import { JsonTree } from './JsonTree';
import { useConsole } from './historyStore';

/** EdgeLake's CLI writes \r\n; a browser shows \n. */
const display = (text: string) => text.replace(/\r\n/g, '\n').replace(/\r/g, '');

export function ConsolePanel() {
  const client = useClient();
  const queryClient = useQueryClient();
  const { entries, add, settle, progress, older, newer, clear } = useConsole();
  // A script's lines (process file.al, a deployment script) appear under its command as they finish.
  useEffect(() => client.bridge.subscribe('script:line', progress), [client, progress]);
  const [input, setInput] = useState('');
  const endRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'end' });
  }, [entries]);

  const run = async (command: string) => {
    if (!command.trim()) return;
    const id = add(command);
    setInput('');
    try {
      settle(id, { reply: await client.call('node:execute', { command }) });
    } catch (err) {
      settle(id, { failure: err instanceof Error ? err.message : String(err) });
    }
    void queryClient.invalidateQueries({ queryKey: queryKeys.info });
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') void run(input);
    else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setInput(older(input));
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      setInput(newer());
    }
  };

  return (
    <section className="panel console">
      <div className="panel-head">
        <h1>Console</h1>
        <button type="button" className="ghost" onClick={clear}>
          Clear
        </button>
      </div>
      <div className="transcript" role="log" aria-label="Command output" aria-live="polite">
        {entries.length === 0 && <p className="muted">Commands of the EdgeLake language, e.g. get status, get processes, help. Up/Down recall earlier commands.</p>}
        {entries.map((e) => (
          <div key={e.id} className="entry" data-code={e.reply?.code} data-state={e.reply || e.failure ? 'done' : 'running'}>
            <div className="prompt mono">EL &gt; {e.command}</div>
            {e.progress && e.progress.length > 0 && (
              <ol className="script-progress mono" aria-label={`Script lines of ${e.command}`}>
                {e.progress.map((p, i) => (
                  <li key={i} data-code={p.code} className={p.code === 0 ? '' : 'error-text'} title={p.detail}>
                    <span className="muted">{p.file.split('/').pop()}:{p.line}</span> {p.code === 0 ? '✓' : `✗ ${p.code}`} {p.command}
                  </li>
                ))}
              </ol>
            )}
            {e.failure && <pre className="output error-text">{e.failure}</pre>}
            {e.reply && e.reply.text !== '' && <pre className={e.reply.code === 0 ? 'output' : 'output error-text'}>{display(e.reply.text)}</pre>}
            {e.reply?.json !== undefined && <JsonTree value={e.reply.json} />}
            {!e.reply && !e.failure && <div className="muted">running…</div>}
          </div>
        ))}
        <div ref={endRef} />
      </div>
      <div className="command-line">
        <span className="mono muted" aria-hidden="true">
          EL &gt;
        </span>
        <input
          aria-label="Command"
          className="mono"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={onKey}
          placeholder="get status"
          autoFocus
          spellCheck={false}
          autoComplete="off"
        />
        <button type="button" onClick={() => void run(input)}>
          Run
        </button>
      </div>
    </section>
  );
}
