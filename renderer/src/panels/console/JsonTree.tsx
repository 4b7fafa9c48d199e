// A collapsible tree for JSON replies.
import { useState } from 'react';

function Node({ name, value, depth }: { name?: string; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
    const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    return (
      <li role="treeitem" aria-expanded={open}>
        <button type="button" className="json-toggle" onClick={() => setOpen(!open)} aria-label={open ? 'Collapse' : 'Expand'}>
          {open ? '▾' : '▸'}
        </button>
        {label}
        {brackets[0]}
        {!open && <span className="muted"> {entries.length} {Array.isArray(value) ? 'items' : 'keys'} </span>}
        {open && (
          <ul role="group">
            {entries.map(([k, v]) => (
              <Node key={k} name={k} value={v} depth={depth + 1} />
            ))}
          </ul>
        )}
        {brackets[1]}
      </li>
    );
  }
  const kind = value === null ? 'null' : typeof value;
  return (
    <li role="treeitem">
      {label}
      <span className={`json-${kind}`}>{kind === 'string' ? JSON.stringify(value) : String(value)}</span>
    </li>
  );
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <ul className="json-tree" role="tree" aria-label="JSON reply">
      <Node value={value} depth={0} />
    </ul>
  );
}
