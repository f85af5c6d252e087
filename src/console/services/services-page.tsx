import { useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import { formatSeconds } from '../shared/format.ts';
import { useLoader } from '../shared/use-loader.ts';
import type { OperationRow, ServiceRow } from './service-stats.ts';
import { operationRows, serviceRows } from './service-stats.ts';
import type { NewSlo, Slo } from './slo-client.ts';
import { sloApi } from './slo-client.ts';

const RANGES = [
  { id: '15m', label: 'Last 15 minutes', seconds: 900 },
  { id: '1h', label: 'Last hour', seconds: 3600 },
  { id: '1d', label: 'Last day', seconds: 86400 },
] as const;

/** Operations are read from up to this many of the range's newest trace summaries. */
const OPERATION_SUMMARIES = 2000;

/**
 * Services, in the spirit of CloudWatch Application Signals: every service of the map with its
 * requests, faults, errors and latency percentiles, the entry services' operations (their API),
 * and service level objectives with their attainment and error-budget burn.
 */
export function ServicesPage(props: { readonly api: XrayApi }) {
  const { api } = props;
  const [rangeId, setRangeId] = useState<string>('1h');
  const seconds = RANGES.find((r) => r.id === rangeId)?.seconds ?? 3600;
  const data = useLoader(`services ${rangeId}`, async () => {
    const end = Math.floor(Date.now() / 1000);
    const window = { start: end - seconds, end };
    const [graph, batch] = await Promise.all([api.serviceGraph(window), api.traceSummaries(window, {}, OPERATION_SUMMARIES)]);
    return { services: serviceRows(graph), operations: operationRows(batch.summaries) };
  });
  const slos = useLoader<Slo[]>('slos', () => sloApi.list());
  const [message, setMessage] = useState<string | undefined>(undefined);

  return (
    <section className="page services-page">
      <header className="toolbar">
        <h1>Services</h1>
        <label>
          Range{' '}
          <select value={rangeId} onChange={(event) => setRangeId(event.target.value)}>
            {RANGES.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => { data.reload(); slos.reload(); }}>Refresh</button>
      </header>
      {data.error !== undefined && <p className="error" role="alert">{data.error.message}</p>}
      <h2>Services</h2>
      <StatsTable label="Services" rows={data.value?.services ?? []} />
      <h2>Operations</h2>
      <p className="muted">The entry services' operations (method and path), from the range's newest {OPERATION_SUMMARIES.toLocaleString()} traces.</p>
      <StatsTable label="Operations" rows={data.value?.operations ?? []} />
      <h2>Service level objectives</h2>
      {message !== undefined && <p className="notice" role="status">{message}</p>}
      {slos.error !== undefined && <p className="error" role="alert">{slos.error.message}</p>}
      <SloTable
        slos={slos.value ?? []}
        onDelete={(name) => {
          if (!window.confirm(`Delete the objective ${name}?`)) return;
          sloApi.remove(name).then(() => { setMessage(`Objective ${name} deleted.`); slos.reload(); }, (error: unknown) => setMessage((error as Error).message));
        }}
      />
      <SloForm
        services={data.value?.services ?? []}
        onCreate={async (slo) => {
          await sloApi.create(slo);
          setMessage(`Objective ${slo.Name} created.`);
          slos.reload();
        }}
      />
    </section>
  );
}

function seconds(value: number | undefined): string {
  return value === undefined ? '—' : formatSeconds(value);
}

function StatsTable(props: { readonly label: string; readonly rows: ReadonlyArray<ServiceRow | OperationRow> }) {
  const withOperation = props.rows.some((row) => 'operation' in row);
  return (
    <table className="services" aria-label={props.label}>
      <thead>
        <tr>
          <th scope="col">Service</th><th scope="col">Type</th>{withOperation && <th scope="col">Operation</th>}
          <th scope="col">Requests</th><th scope="col">Faults</th><th scope="col">Errors</th>
          <th scope="col">p50</th><th scope="col">p90</th><th scope="col">p99</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 && <tr><td colSpan={withOperation ? 9 : 8} className="muted">No requests in this range.</td></tr>}
        {props.rows.map((row) => (
          <tr key={`${row.name} ${row.type} ${'operation' in row ? row.operation : ''}`} data-service={row.name}>
            <td>{row.name}</td><td className="muted">{row.type}</td>{withOperation && <td className="mono">{'operation' in row ? row.operation : ''}</td>}
            <td>{row.requests}</td><td>{row.faults}</td><td>{row.errors}</td>
            <td>{seconds(row.p50)}</td><td>{seconds(row.p90)}</td><td>{seconds(row.p99)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SloTable(props: { readonly slos: readonly Slo[]; readonly onDelete: (name: string) => void }) {
  if (props.slos.length === 0) return <p className="muted">No objectives yet: create one below.</p>;
  return (
    <table className="slos" aria-label="Service level objectives">
      <thead>
        <tr><th scope="col">Name</th><th scope="col">Service</th><th scope="col">Indicator</th><th scope="col">Goal</th><th scope="col">Attainment</th><th scope="col">Error budget burnt</th><th /></tr>
      </thead>
      <tbody>
        {props.slos.map((slo) => {
          const a = slo.Attainment;
          const burn = a === undefined ? '—' : a.ErrorBudgetBurn === null ? 'all (no budget)' : `${(a.ErrorBudgetBurn * 100).toFixed(1)}%`;
          return (
            <tr key={slo.Name} data-slo={slo.Name} className={a?.Met === false ? 'slo-breached' : undefined}>
              <td>{slo.Name}</td>
              <td>{slo.Service.Name}{slo.Service.Type !== undefined && <span className="muted"> ({slo.Service.Type})</span>}</td>
              <td>{slo.Sli.Kind === 'latency' ? `latency ≤ ${slo.Sli.LatencyThresholdMs ?? 0} ms` : 'availability (no fault)'}</td>
              <td>{slo.GoalPercent}% over {slo.WindowDays} d</td>
              <td>{a?.AttainmentPercent === undefined ? 'no requests' : `${a.AttainmentPercent.toFixed(2)}% (${a.GoodCount}/${a.TotalCount})`}{a?.Met === false && <strong> breached</strong>}</td>
              <td>{burn}</td>
              <td className="actions"><button type="button" className="danger" onClick={() => props.onDelete(slo.Name)}>Delete</button></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SloForm(props: { readonly services: readonly ServiceRow[]; readonly onCreate: (slo: NewSlo) => Promise<void> }) {
  const [name, setName] = useState('');
  const [service, setService] = useState('');
  const [kind, setKind] = useState<'availability' | 'latency'>('availability');
  const [threshold, setThreshold] = useState('1000');
  const [goal, setGoal] = useState('99');
  const [days, setDays] = useState('7');
  const [error, setError] = useState<string | undefined>(undefined);
  const chosen = props.services.find((s) => `${s.name}\u0000${s.type}` === service);
  return (
    <form
      className="slo-form"
      aria-label="New service level objective"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen === undefined) { setError('Choose a service.'); return; }
        setError(undefined);
        props.onCreate({
          Name: name,
          Service: { Name: chosen.name, Type: chosen.type },
          Sli: kind === 'latency' ? { Kind: kind, LatencyThresholdMs: Number(threshold) } : { Kind: kind },
          GoalPercent: Number(goal),
          WindowDays: Number(days),
        }).then(() => setName(''), (e: unknown) => setError((e as Error).message));
      }}
    >
      <h3>New objective</h3>
      <label>Name <input value={name} onChange={(e) => setName(e.target.value)} required /></label>
      <label>Service{' '}
        <select value={service} onChange={(e) => setService(e.target.value)}>
          <option value="">choose…</option>
          {props.services.map((s) => <option key={`${s.name} ${s.type}`} value={`${s.name}\u0000${s.type}`}>{s.name} ({s.type})</option>)}
        </select>
      </label>
      <label>Indicator{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value === 'latency' ? 'latency' : 'availability')}>
          <option value="availability">availability</option>
          <option value="latency">latency</option>
        </select>
      </label>
      {kind === 'latency' && <label>Threshold (ms) <input type="number" min="1" value={threshold} onChange={(e) => setThreshold(e.target.value)} /></label>}
      <label>Goal (%) <input type="number" step="0.01" min="0.01" max="99.99" value={goal} onChange={(e) => setGoal(e.target.value)} /></label>
      <label>Window (days) <input type="number" min="1" max="30" value={days} onChange={(e) => setDays(e.target.value)} /></label>
      <button type="submit">Create</button>
      {error !== undefined && <p className="error" role="alert">{error}</p>}
    </form>
  );
}
