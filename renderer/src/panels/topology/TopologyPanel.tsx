// Cluster topology: clusters -> their operators -> the tables they host, drawn from the ledger, with each
// operator's status where the node knows it. Clicking a node shows its policy.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useClient } from '../../app/ClientContext';

interface GraphNode {
  key: string;
  label: string;
  sub: string;
  kind: 'cluster' | 'operator' | 'table';
  x: number;
  y: number;
  status?: string;
  policy?: unknown;
}

const COLUMN = { cluster: 20, operator: 320, table: 620 };
const ROW = 64;
const BOX = { w: 250, h: 44 };

export function TopologyPanel() {
  const client = useClient();
  const topology = useQuery({ queryKey: ['topology:get'], queryFn: () => client.call('topology:get', {}) });
  const [selected, setSelected] = useState<string | undefined>();
  const nodes: GraphNode[] = [];
  const edges: [string, string][] = [];
  let row = 0;
  for (const c of topology.data ?? []) {
    const height = Math.max(1, c.operators.length, c.tables.length);
    const clusterKey = `cluster:${c.id}`;
    nodes.push({ key: clusterKey, label: c.name, sub: c.company, kind: 'cluster', x: COLUMN.cluster, y: 20 + (row + (height - 1) / 2) * ROW, status: c.status, policy: c.policy });
    c.operators.forEach((op, i) => {
      const key = `operator:${op.id}`;
      nodes.push({ key, label: op.name, sub: `${op.ip}:${op.port} · member ${op.member}`, kind: 'operator', x: COLUMN.operator, y: 20 + (row + i) * ROW, status: op.status, policy: op.policy });
      edges.push([clusterKey, key]);
    });
    c.tables.forEach((t, i) => {
      const key = `table:${c.id}:${t.dbms}.${t.name}`;
      nodes.push({ key, label: `${t.dbms}.${t.name}`, sub: 'table', kind: 'table', x: COLUMN.table, y: 20 + (row + i) * ROW });
      // Every operator of the cluster hosts every table of the cluster; without operators the cluster holds it.
      if (c.operators.length === 0) edges.push([clusterKey, key]);
      for (const op of c.operators) edges.push([`operator:${op.id}`, key]);
    });
    row += height + 0.5;
  }
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const current = selected ? byKey.get(selected) : undefined;
  const height = Math.max(120, 40 + row * ROW);
  return (
    <section className="panel">
      <div className="panel-head">
        <h1>Topology</h1>
        <button type="button" className="ghost" onClick={() => void topology.refetch()}>
          Refresh
        </button>
      </div>
      {topology.data && topology.data.length === 0 && <p className="muted">No cluster in the ledger: create one in the Cluster Editor.</p>}
      <div className="topology">
        <svg role="img" aria-label="Clusters, operators and tables" width={COLUMN.table + BOX.w + 20} height={height}>
          {edges.map(([a, b]) => {
            const from = byKey.get(a)!;
            const to = byKey.get(b)!;
            return <line key={`${a}>${b}`} x1={from.x + BOX.w} y1={from.y + BOX.h / 2} x2={to.x} y2={to.y + BOX.h / 2} className="edge" />;
          })}
          {nodes.map((n) => (
            <g
              key={n.key}
              role="button"
              tabIndex={0}
              aria-label={`${n.kind} ${n.label}`}
              className={`graph-node ${n.kind}${n.key === selected ? ' selected' : ''}`}
              transform={`translate(${n.x},${n.y})`}
              onClick={() => setSelected(n.key)}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && setSelected(n.key)}
            >
              <rect width={BOX.w} height={BOX.h} rx={8} />
              <text x={10} y={18} className="label">
                {n.label}
              </text>
              <text x={10} y={34} className="sub">
                {n.sub}
                {n.status ? ` · ${n.status}` : ''}
              </text>
            </g>
          ))}
        </svg>
      </div>
      {current && (
        <div role="region" aria-label="Selected node">
          <h2>
            {current.kind} {current.label}
          </h2>
          {current.policy ? <pre className="policy-json mono">{JSON.stringify(current.policy, null, 2)}</pre> : <p className="muted">A table hosted by the cluster's operators (from its cluster policies).</p>}
        </div>
      )}
    </section>
  );
}
