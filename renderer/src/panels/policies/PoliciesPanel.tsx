// Policies: the ledger as a tree by type with search; a policy's JSON and delete with confirmation; a JSON editor
// that checks the policy as the node will (id, per-type rules, references) while typing, shows the difference
// with the ledger's policy of the same id, and inserts it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { PolicyCheck, PolicyEntry } from '../../../../shared/types';
import { useClient } from '../../app/ClientContext';

/** A starting point per type: the attributes the node checks. */
export const TEMPLATES: Record<string, object> = {
  cluster: { cluster: { company: 'My Company', name: 'cluster-1' } },
  operator: { operator: { name: 'operator-1', company: 'My Company', ip: '127.0.0.1', port: 32148, rest_port: 32149, cluster: '<cluster id>' } },
  master: { master: { name: 'master-1', company: 'My Company', ip: '127.0.0.1', port: 32048, rest_port: 32049 } },
  query: { query: { name: 'query-1', company: 'My Company', ip: '127.0.0.1', port: 32348, rest_port: 32349 } },
  table: { table: { name: 'readings', dbms: 'test', create: 'CREATE TABLE IF NOT EXISTS readings(...)' } },
};

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** A tree label: the name; a child cluster (one per table an operator registered) also names its tables. */
function label(p: PolicyEntry): string {
  const body = Object.values(p.policy)[0] ?? {};
  if (p.type === 'cluster' && typeof body.parent === 'string' && Array.isArray(body.table)) {
    const tables = (body.table as { dbms?: string; name?: string }[]).map((t) => `${t.dbms ?? ''}.${t.name ?? ''}`).join(', ');
    return `${p.name || p.id} · ${tables}`;
  }
  return p.name || p.id;
}

/** Lines of `a` and `b` marked as kept, removed or added (a small LCS diff: policies are short). */
export function lineDiff(a: string, b: string): { kind: ' ' | '-' | '+'; text: string }[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: { kind: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      out.push({ kind: ' ', text: x[i++]! });
      j++;
    } else if (j < y.length && (i >= x.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push({ kind: '+', text: y[j++]! });
    else out.push({ kind: '-', text: x[i++]! });
  }
  return out;
}

export function CheckResult({ check, stored = false }: { check: PolicyCheck | undefined; stored?: boolean }) {
  if (!check) return null;
  return (
    <div className="policy-check" aria-label="Policy check">
      {check.ok ? (
        <p role="status" className="notice ok">
          {stored ? 'Stored in the local ledger with id' : 'Valid: it will be stored with id'} <span className="mono">{String(Object.values(check.policy ?? {})[0]?.id ?? '')}</span>
        </p>
      ) : (
        <p role="alert" className="notice error">
          {check.error?.text} ({check.error?.code}): {check.error?.detail}
        </p>
      )}
      {check.references.length > 0 && (
        <ul className="references">
          {check.references.map((r) => (
            <li key={r.key} className={r.found ? '' : 'error-text'}>
              {r.key} <span className="mono">{r.id}</span> {r.found ? 'is in the ledger' : 'is not in the ledger'}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Editor({ onInserted }: { onInserted: (entry: string) => void }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [text, setText] = useState(pretty(TEMPLATES.cluster));
  const [debounced, setDebounced] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 250);
    return () => clearTimeout(t);
  }, [text]);
  const check = useQuery({ queryKey: ['policies:check', debounced], queryFn: () => client.call('policies:check', { text: debounced }) });
  const insert = useMutation({
    mutationFn: () => client.call('policies:insert', { text }),
    onSuccess: (r) => {
      if (!r.ok) return;
      void queryClient.invalidateQueries({ queryKey: ['policies:list'] });
      void queryClient.invalidateQueries({ queryKey: ['topology:get'] });
      onInserted(String(Object.values(r.policy ?? {})[0]?.id ?? ''));
    },
  });
  const result = insert.data && !insert.data.ok ? insert.data : check.data;
  const existing = result?.existing;
  return (
    <div className="policy-editor" role="region" aria-label="New policy">
      <div className="actions-row">
        <span className="muted">Start from</span>
        {Object.keys(TEMPLATES).map((t) => (
          <button key={t} type="button" className="ghost" onClick={() => (setText(pretty(TEMPLATES[t])), insert.reset())}>
            {t}
          </button>
        ))}
      </div>
      <textarea aria-label="Policy JSON" className="mono" spellCheck={false} rows={12} value={text} onChange={(e) => (setText(e.target.value), insert.reset())} />
      <CheckResult check={result} />
      {existing && (
        <div aria-label="Difference with the ledger">
          <h3>The ledger already holds this id ({existing.type} {existing.name}): difference</h3>
          <pre className="diff mono">
            {lineDiff(pretty(existing.policy), pretty(result?.policy ?? {})).map((l, i) => (
              <div key={i} className={l.kind === '+' ? 'added' : l.kind === '-' ? 'removed' : ''}>
                {l.kind} {l.text}
              </div>
            ))}
          </pre>
        </div>
      )}
      <div className="actions-row">
        <button type="button" disabled={!check.data?.ok || debounced !== text || insert.isPending} onClick={() => insert.mutate()}>
          Insert into the local ledger
        </button>
      </div>
    </div>
  );
}

function Detail({ entry, onDeleted }: { entry: PolicyEntry; onDeleted: (id: string) => void }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => setConfirming(false), [entry.id]);
  const remove = useMutation({
    mutationFn: () => client.call('policies:delete', { id: entry.id }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['policies:list'] });
      void queryClient.invalidateQueries({ queryKey: ['topology:get'] });
      onDeleted(entry.id);
    },
  });
  return (
    <div role="region" aria-label={`Policy ${entry.id}`}>
      <h2 className="mono">
        {entry.type} {entry.name}
      </h2>
      <pre className="policy-json mono">{pretty(entry.policy)}</pre>
      {remove.error && (
        <p role="alert" className="notice error">
          {String(remove.error)}
        </p>
      )}
      <div className="actions-row">
        {confirming ? (
          <>
            <span>Delete this {entry.type} policy from the local ledger?</span>
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

export function PoliciesPanel() {
  const client = useClient();
  const list = useQuery({ queryKey: ['policies:list'], queryFn: () => client.call('policies:list', {}) });
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | undefined>();
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const out = new Map<string, PolicyEntry[]>();
    for (const p of list.data?.policies ?? []) {
      if (needle && !JSON.stringify(p.policy).toLowerCase().includes(needle)) continue;
      out.set(p.type, [...(out.get(p.type) ?? []), p]);
    }
    return out;
  }, [list.data, search]);
  const current = list.data?.policies.find((p) => p.id === selected);
  return (
    <section className="panel">
      <div className="panel-head">
        <h1>Policies</h1>
        <button type="button" onClick={() => (setEditing(true), setSelected(undefined), setNotice(undefined))}>
          New policy
        </button>
      </div>
      {notice && (
        <p role="status" className="notice ok">
          {notice}
        </p>
      )}
      {list.data?.problems.map((p) => (
        <p key={p.line} role="alert" className="notice error">
          Ledger line {p.line} is not a policy ({p.reason}); it is skipped.
        </p>
      ))}
      <div className="filters">
        <label>
          Search
          <input aria-label="Search policies" value={search} placeholder="name, id, ip, any value" onChange={(e) => setSearch(e.target.value)} />
        </label>
      </div>
      {list.data && list.data.policies.length === 0 && <p className="muted">The ledger is empty: create a cluster, then its operators.</p>}
      <div className="split">
        <nav aria-label="Policies by type" className="policy-tree">
          {[...groups.entries()].map(([type, entries]) => (
            <div key={type} className="group" role="group" aria-label={type}>
              <h3>
                {type} <span className="muted">({entries.length})</span>
              </h3>
              {entries.map((p) => (
                <button key={p.id} type="button" className={p.id === selected ? 'nav active' : 'nav'} onClick={() => (setSelected(p.id), setEditing(false), setNotice(undefined))}>
                  {p.name ? label(p) : <span className="mono">{p.id}</span>}
                </button>
              ))}
            </div>
          ))}
        </nav>
        <div>
          {editing && <Editor onInserted={(id) => (setNotice(`Inserted policy ${id}`), setEditing(false), setSelected(id))} />}
          {!editing && current && <Detail entry={current} onDeleted={(id) => (setNotice(`Deleted policy ${id}`), setSelected(undefined))} />}
          {!editing && !current && <p className="muted">Choose a policy, or create one.</p>}
        </div>
      </div>
    </section>
  );
}
