// Cluster editor: create a cluster, add operators to it (each form writes the policy through the same checks as
// `blockchain insert`), and see each cluster's operators with their member ids and the tables it hosts.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PolicyCheck, TopologyCluster } from '../../../../shared/types';
import { useClient } from '../../app/ClientContext';
import { CheckResult } from '../policies/PoliciesPanel';

function useInsert(onDone: (r: PolicyCheck) => void) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (policy: object) => client.call('policies:insert', { text: JSON.stringify(policy) }),
    onSuccess: (r) => {
      if (r.ok) {
        void queryClient.invalidateQueries({ queryKey: ['topology:get'] });
        void queryClient.invalidateQueries({ queryKey: ['policies:list'] });
      }
      onDone(r);
    },
  });
}

function NewCluster() {
  const [company, setCompany] = useState('My Company');
  const [name, setName] = useState('');
  const [result, setResult] = useState<PolicyCheck | undefined>();
  const insert = useInsert(setResult);
  return (
    <form
      className="filters"
      aria-label="New cluster"
      onSubmit={(e) => {
        e.preventDefault();
        insert.mutate({ cluster: { company, name } });
      }}
    >
      <label>
        Company
        <input aria-label="Cluster company" value={company} onChange={(e) => setCompany(e.target.value)} required />
      </label>
      <label>
        Name
        <input aria-label="Cluster name" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <button type="submit" disabled={insert.isPending}>
        Create cluster
      </button>
      <CheckResult check={result} stored />
    </form>
  );
}

function AddOperator({ cluster }: { cluster: TopologyCluster }) {
  const [form, setForm] = useState({ name: '', ip: '127.0.0.1', port: '32148', rest_port: '32149' });
  const [result, setResult] = useState<PolicyCheck | undefined>();
  const insert = useInsert(setResult);
  const field = (key: keyof typeof form, label: string) => (
    <label>
      {label}
      <input aria-label={`Operator ${label.toLowerCase()}`} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} required />
    </label>
  );
  return (
    <form
      className="filters"
      aria-label={`Add operator to ${cluster.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        insert.mutate({ operator: { name: form.name, company: cluster.company, ip: form.ip, port: Number(form.port), rest_port: Number(form.rest_port), cluster: cluster.id } });
      }}
    >
      {field('name', 'Name')}
      {field('ip', 'IP')}
      {field('port', 'Port')}
      {field('rest_port', 'REST port')}
      <button type="submit" disabled={insert.isPending}>
        Add operator
      </button>
      <CheckResult check={result} stored />
    </form>
  );
}

export function ClusterEditorPanel() {
  const client = useClient();
  const clusters = useQuery({ queryKey: ['topology:get'], queryFn: () => client.call('topology:get', {}) });
  return (
    <section className="panel">
      <div className="panel-head">
        <h1>Cluster Editor</h1>
      </div>
      <NewCluster />
      {clusters.data && clusters.data.length === 0 && <p className="muted">No cluster in the ledger yet.</p>}
      {clusters.data?.map((c) => (
        <div key={c.id} className="cluster-card" role="region" aria-label={`Cluster ${c.name}`}>
          <h2>
            {c.name} <span className="muted">{c.company}</span> <span className="mono muted">{c.id}</span>
          </h2>
          <table className="grid">
            <thead>
              <tr>
                <th>Operator</th>
                <th>Address</th>
                <th>Member ID</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {c.operators.map((op) => (
                <tr key={op.id}>
                  <td>{op.name}</td>
                  <td className="mono">
                    {op.ip}:{op.port}
                  </td>
                  <td className="num">{op.member}</td>
                  <td>{op.status}</td>
                </tr>
              ))}
              {c.operators.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    No operator yet
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <p className="muted">Tables: {c.tables.length ? c.tables.map((t) => `${t.dbms}.${t.name}`).join(', ') : 'none yet (an operator registers each table it creates)'}</p>
          <AddOperator cluster={c} />
        </div>
      ))}
    </section>
  );
}
