import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queries } from '../api/client';
import { useClient } from './ClientContext';
import { PANELS } from './panels';
import { useUi } from './uiStore';

export function App() {
  const client = useClient();
  const { theme, toggleTheme, panel, showPanel } = useUi();
  const info = useQuery(queries.info(client));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const current = PANELS.find((p) => p.id === panel) ?? PANELS[0]!;
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">◆</span> EdgeLake Desktop
        </div>
        <div className="node-id" aria-label="node">
          {info.data ? (
            <>
              <strong>{info.data.nodeName}</strong> · EdgeLake {info.data.version} · <span className="muted">{info.data.home}</span>
            </>
          ) : info.error ? (
            <span className="error-text">Node unreachable: {String(info.error)}</span>
          ) : (
            'Connecting…'
          )}
        </div>
        <button type="button" className="ghost" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </header>
      <nav className="sidebar" aria-label="Panels">
        {PANELS.map((p) => (
          <button key={p.id} type="button" className={p.id === current.id ? 'nav active' : 'nav'} aria-current={p.id === current.id ? 'page' : undefined} onClick={() => showPanel(p.id)}>
            {p.title}
          </button>
        ))}
      </nav>
      <main className="content" aria-label={current.title}>
        {current.render()}
      </main>
    </div>
  );
}
