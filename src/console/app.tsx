import { useMemo } from 'react';
import { AnalyticsPage } from './analytics/analytics-page.tsx';
import { XrayApi } from './api/client.ts';
import { GroupsPage } from './groups/groups-page.tsx';
import { LogsPage } from './logs/logs-page.tsx';
import { MapPage } from './map/map-page.tsx';
import { SamplingPage } from './sampling/sampling-page.tsx';
import { ServicesPage } from './services/services-page.tsx';
import { useRoute } from './shared/route.ts';
import { TraceJump } from './shared/trace-jump.tsx';
import { TracePage } from './trace/trace-page.tsx';
import { TracesPage } from './traces/traces-page.tsx';

const PAGES = [
  { id: 'map', label: 'Service map' },
  { id: 'traces', label: 'Traces' },
  { id: 'analytics', label: 'Analytics' },
  { id: 'logs', label: 'Logs' },
  { id: 'services', label: 'Services' },
  { id: 'groups', label: 'Groups' },
  { id: 'sampling', label: 'Sampling' },
] as const;

export function App() {
  const api = useMemo(() => new XrayApi(), []);
  const route = useRoute();
  const active = route.page === 'trace' ? 'traces' : route.page;
  // Pages keep the time range and group as they move between the map and the traces.
  const shared = new URLSearchParams();
  for (const name of ['range', 'from', 'to', 'group']) {
    const value = route.params.get(name);
    if (value !== null) shared.set(name, value);
  }
  const sharedQuery = shared.toString() === '' ? '' : `?${shared.toString()}`;
  return (
    <div className="app">
      <nav className="top">
        <span className="brand">xray-tracer</span>
        {PAGES.map((page) => (
          <a key={page.id} href={`#/${page.id}${page.id === 'groups' || page.id === 'sampling' || page.id === 'services' ? '' : sharedQuery}`} className={active === page.id ? 'active' : undefined} aria-current={active === page.id ? 'page' : undefined}>
            {page.label}
          </a>
        ))}
        <TraceJump />
      </nav>
      <main>
        {route.page === 'map' && <MapPage api={api} route={route} />}
        {route.page === 'traces' && <TracesPage api={api} route={route} />}
        {route.page === 'analytics' && <AnalyticsPage api={api} route={route} />}
        {route.page === 'trace' && <TracePage key={route.rest} api={api} traceId={route.rest} />}
        {route.page === 'logs' && <LogsPage api={api} route={route} />}
        {route.page === 'groups' && <GroupsPage api={api} />}
        {route.page === 'sampling' && <SamplingPage api={api} />}
        {route.page === 'services' && <ServicesPage api={api} />}
        {!['map', 'traces', 'analytics', 'logs', 'trace', 'groups', 'sampling', 'services'].includes(route.page) && <p className="error">Nothing here. Try the <a href="#/map">service map</a>.</p>}
      </main>
    </div>
  );
}
