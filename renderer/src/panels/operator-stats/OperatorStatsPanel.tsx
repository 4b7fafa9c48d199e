// Operator stats: files and rows per second as live charts, fed by the node's per-second push events; the last
// hour is kept (the node keeps it too, so opening the panel shows the past hour at once).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OperatorSample } from '../../../../shared/types';
import { useClient } from '../../app/ClientContext';

const HOUR = 3600;

function clock(t: number): string {
  return new Date(t * 1000).toISOString().slice(11, 19);
}

function Chart({ title, data, dataKey, color }: { title: string; data: OperatorSample[]; dataKey: 'files' | 'rows'; color: string }) {
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <AreaChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="t" tickFormatter={clock} minTickGap={40} stroke="var(--muted)" fontSize={11} />
          <YAxis allowDecimals={false} stroke="var(--muted)" fontSize={11} width={60} />
          <Tooltip labelFormatter={(t) => clock(Number(t))} />
          <Area type="monotone" dataKey={dataKey} stroke={color} fill={color} fillOpacity={0.25} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function OperatorStatsPanel() {
  const client = useClient();
  const initial = useQuery({ queryKey: ['operator:stats'], queryFn: () => client.call('operator:stats', {}) });
  const [live, setLive] = useState<OperatorSample[]>([]);
  useEffect(() => client.bridge.subscribe('operator:sample', (s) => setLive((l) => [...l, s].slice(-HOUR))), [client]);
  const seen = new Set(live.map((s) => s.t));
  const series = [...(initial.data?.series ?? []).filter((s) => !seen.has(s.t)), ...live].slice(-HOUR);
  const lastMinute = series.slice(-60);
  const sum = (k: 'files' | 'rows' | 'errors', list: OperatorSample[]) => list.reduce((a, s) => a + s[k], 0);
  const running = initial.data?.running || live.length > 0;
  return (
    <section className="panel">
      <h1>Operator Stats</h1>
      <p className="muted">{running ? 'Live, one point per second; the last hour is kept.' : 'The operator is not running (run operator where policy = ...).'}</p>
      <div className="kpis" aria-label="Last minute">
        <div>
          <strong data-kpi="files">{sum('files', lastMinute)}</strong> files in the last minute
        </div>
        <div>
          <strong data-kpi="rows">{sum('rows', lastMinute).toLocaleString('en-US')}</strong> rows in the last minute
        </div>
        <div>
          <strong data-kpi="errors">{sum('errors', lastMinute)}</strong> errors in the last minute
        </div>
        <div>
          <strong data-kpi="hour-rows">{sum('rows', series).toLocaleString('en-US')}</strong> rows in the last hour
        </div>
      </div>
      <Chart title="Files per second" data={series} dataKey="files" color="#5aa2f0" />
      <Chart title="Rows per second" data={series} dataKey="rows" color="#4cc27a" />
    </section>
  );
}
