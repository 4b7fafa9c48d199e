// Network: this node's TCP server, the peers the ledger knows (operators, masters, query and publisher nodes) with
// reachability checked by a real round trip, and a command sent to any of them with its reply.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { PeerCheck, PeerEntry } from '../../../../shared/types';
import { useClient } from '../../app/ClientContext';

function Reachability({ check, pending }: { check: PeerCheck | undefined; pending: boolean }) {
  if (pending) return <span className="muted">checking…</span>;
  if (!check) return <span className="muted">not checked</span>;
  return check.reachable ? (
    <span className="status running" title={check.detail}>
      reachable · {check.ms} ms
    </span>
  ) : (
    <span className="status stopped" title={check.detail}>
      unreachable
    </span>
  );
}

function PeerRow({ peer, onPick }: { peer: PeerEntry; onPick: (address: string) => void }) {
  const client = useClient();
  const check = useMutation({ mutationFn: () => client.call('network:check', { address: peer.address }) });
  return (
    <tr>
      <td>{peer.type}</td>
      <td>
        {peer.name}
        {peer.self && <span className="tag">this node</span>}
      </td>
      <td className="mono">{peer.address}</td>
      <td>
        <Reachability check={check.data} pending={check.isPending} />
        {check.data && !check.data.reachable && <div className="muted small">{check.data.detail}</div>}
      </td>
      <td className="actions">
        <button type="button" className="ghost" onClick={() => check.mutate()} aria-label={`Check ${peer.name}`}>
          Check
        </button>
        <button type="button" className="ghost" onClick={() => onPick(peer.address)} aria-label={`Send a command to ${peer.name}`}>
          Send…
        </button>
      </td>
    </tr>
  );
}

export function NetworkPanel() {
  const client = useClient();
  const view = useQuery({ queryKey: ['network:peers'], queryFn: () => client.call('network:peers', {}) });
  const [address, setAddress] = useState('');
  const [command, setCommand] = useState('get status');
  const send = useMutation({ mutationFn: () => client.call('network:send', { address, command }) });
  const tcp = view.data?.tcp;
  return (
    <section className="panel">
      <div className="panel-head">
        <h1>Network</h1>
        <button type="button" className="ghost" onClick={() => void view.refetch()}>
          Refresh
        </button>
      </div>
      {view.data && !tcp && (
        <p role="alert" className="notice error">
          The TCP server is not running: peers cannot reach this node and their replies cannot come back. Start it from the Processes panel or with run tcp server.
        </p>
      )}
      {tcp && (
        <p className="muted">
          This node: <span className="mono">{tcp.external}</span> (internal <span className="mono">{tcp.internal}</span>, bound to <span className="mono">{tcp.bind}</span>)
        </p>
      )}
      <table className="grid" aria-label="Known peers">
        <thead>
          <tr>
            <th>Type</th>
            <th>Name</th>
            <th>Address</th>
            <th>Reachability</th>
            <th className="actions" />
          </tr>
        </thead>
        <tbody>
          {view.data?.peers.map((p) => <PeerRow key={`${p.id}-${p.address}`} peer={p} onPick={(a) => (setAddress(a), send.reset())} />)}
          {view.data && view.data.peers.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                The ledger names no operator, master, query or publisher node yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        className="filters"
        aria-label="Send a command to a peer"
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate();
        }}
      >
        <label>
          Peer (ip:port)
          <input aria-label="Peer address" value={address} onChange={(e) => setAddress(e.target.value)} placeholder="127.0.0.1:32048" required />
        </label>
        <label className="grow">
          Command
          <input aria-label="Peer command" value={command} onChange={(e) => setCommand(e.target.value)} required />
        </label>
        <button type="submit" disabled={send.isPending || !address}>
          Send
        </button>
      </form>
      {send.error && (
        <p role="alert" className="notice error">
          {String(send.error)}
        </p>
      )}
      {send.data && (
        <pre aria-label="Peer reply" className={`output ${send.data.code === 0 ? '' : 'error-text'}`}>
          {send.data.code === 0 ? send.data.text : `${send.data.errorText ?? ''}\n${send.data.detail ?? ''}`}
        </pre>
      )}
    </section>
  );
}
