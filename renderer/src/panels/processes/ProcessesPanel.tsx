// The node's background processes, as `get processes` lists them, updated by pushed events (no polling).
// Start/Stop run the process's own commands and show their reply.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CommandReply, ProcessInfo } from '../../../../shared/types';
import { queries } from '../../api/client';
import { useClient } from '../../app/ClientContext';

export function ProcessesPanel() {
  const client = useClient();
  // Status changes are pushed; the activity line (e.g. the TCP server's connections) is refreshed every 5 s.
  const processes = useQuery({ ...queries.processes(client), refetchInterval: 5000 });
  const [last, setLast] = useState<{ name: string; action: string; reply: CommandReply } | undefined>();
  const action = useMutation({
    mutationFn: async ({ p, kind }: { p: ProcessInfo; kind: 'start' | 'stop' }) => ({
      name: p.name,
      action: kind,
      reply: await client.call(kind === 'start' ? 'process:start' : 'process:stop', { name: p.name }),
    }),
    onSuccess: setLast,
  });
  const running = processes.data?.filter((p) => p.status === 'Running').length ?? 0;
  return (
    <section className="panel">
      <h1>Processes</h1>
      <p className="muted">
        {processes.data ? `${running} of ${processes.data.length} running` : processes.error ? `Cannot list processes: ${String(processes.error)}` : 'Loading…'}
      </p>
      {last && (
        <div role="status" className={last.reply.code === 0 ? 'notice ok' : 'notice error'}>
          {last.action === 'start' ? 'Start' : 'Stop'} {last.name}: {last.reply.code === 0 ? 'done' : `${last.reply.errorText ?? 'failed'}${last.reply.detail ? ` — ${last.reply.detail}` : ''}`}
        </div>
      )}
      <table className="grid" aria-label="Processes">
        <thead>
          <tr>
            <th scope="col">Process</th>
            <th scope="col">Status</th>
            <th scope="col">Details</th>
            <th scope="col" className="actions">
              Actions
            </th>
          </tr>
        </thead>
        <tbody>
          {processes.data?.map((p) => (
            <tr key={p.name} data-process={p.name}>
              <td>
                {p.name}
                {!p.edgelake && <span className="tag">seed</span>}
              </td>
              <td>
                <span className={p.status === 'Running' ? 'status running' : 'status idle'}>{p.status}</span>
              </td>
              <td className="mono">
                {p.details}
                {p.activity && <div className="muted small">{p.activity}</div>}
              </td>
              <td className="actions">
                {p.startCommand && (
                  <button type="button" title={p.startCommand} disabled={action.isPending} onClick={() => action.mutate({ p, kind: 'start' })} aria-label={`Start ${p.name}`}>
                    Start
                  </button>
                )}
                {p.stopCommand && (
                  <button type="button" className="danger" disabled={action.isPending} onClick={() => action.mutate({ p, kind: 'stop' })} aria-label={`Stop ${p.name}`}>
                    Stop
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
