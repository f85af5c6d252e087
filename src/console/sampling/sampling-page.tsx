import { useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import type { SamplingRule, SamplingRuleRecord, SamplingStatisticSummary } from '../api/types.ts';
import { formatTime } from '../shared/format.ts';
import { useLoader } from '../shared/use-loader.ts';
import { byPriority, DEFAULT_RULE, EMPTY_FIELDS, fieldsOf, formatPercent, matchText, ruleOf, type RuleFields } from './rule-form.ts';
import { TelemetryTable } from './telemetry-table.tsx';
import { tracedCount } from './traced.ts';

interface Loaded {
  readonly rules: SamplingRuleRecord[];
  readonly statistics: ReadonlyMap<string, SamplingStatisticSummary>;
}

/** Sampling rules: which requests API Gateway and the X-Ray SDKs trace; create, edit and delete. */
export function SamplingPage(props: { readonly api: XrayApi }) {
  const { api } = props;
  const loaded = useLoader<Loaded>('sampling', async () => {
    const [rules, statistics] = await Promise.all([api.samplingRules(), api.samplingStatistics()]);
    return { rules: byPriority(rules), statistics: new Map(statistics.map((summary) => [summary.RuleName ?? '', summary])) };
  });
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [refreshes, setRefreshes] = useState(0);

  const run = async (action: () => Promise<void>, done: string): Promise<void> => {
    setMessage(undefined);
    await action();
    setMessage(done);
    loaded.reload();
  };

  return (
    <section className="page sampling-page">
      <header className="toolbar">
        <h1>Sampling rules</h1>
        <button type="button" onClick={() => { loaded.reload(); setRefreshes((count) => count + 1); }}>Refresh</button>
      </header>
      <p className="muted">
        API Gateway and programs using an X-Ray SDK ask which requests to trace: the first rule that matches, by priority, traces its
        reservoir of requests each second and then its fixed rate of the rest. Changes apply within seconds.
      </p>
      {message !== undefined && <p className="notice" role="status">{message}</p>}
      {loaded.error !== undefined && <p className="error" role="alert">{loaded.error.message}</p>}
      <table className="groups sampling-rules">
        <thead>
          <tr><th>Priority</th><th>Name</th><th>Matches</th><th>Reservoir</th><th>Rate</th><th>Requests</th><th>Traced</th><th>Modified</th><th /></tr>
        </thead>
        <tbody>
          {(loaded.value?.rules ?? []).map((record) => {
            const rule = record.SamplingRule;
            if (rule === undefined) return null;
            const name = rule.RuleName ?? '';
            const statistics = loaded.value?.statistics.get(name);
            if (editing === name) {
              return (
                <tr key={name} data-rule={name}>
                  <td colSpan={9}>
                    <RuleForm
                      initial={fieldsOf(rule)}
                      fixedName
                      onlyRates={name === DEFAULT_RULE}
                      submitLabel="Save"
                      onCancel={() => setEditing(undefined)}
                      onSubmit={async (next) => {
                        await run(() => api.updateSamplingRule(updateOf(rule, next)), `Rule ${name} saved.`);
                        setEditing(undefined);
                      }}
                    />
                  </td>
                </tr>
              );
            }
            return (
              <tr key={name} data-rule={name}>
                <td className="num">{rule.Priority}</td>
                <td>{name}</td>
                <td className="mono">{matchText(rule)}</td>
                <td className="num">{rule.ReservoirSize}/s</td>
                <td className="num">{formatPercent(rule.FixedRate)}%</td>
                <td className="num" data-stat="requests">{statistics?.RequestCount ?? 0}</td>
                <td className="num" data-stat="traced">{tracedCount(statistics)}</td>
                <td>{record.ModifiedAt === undefined ? '' : formatTime(record.ModifiedAt)}</td>
                <td className="actions">
                  <button type="button" onClick={() => setEditing(name)}>Edit</button>
                  {name !== DEFAULT_RULE && (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => {
                        if (!window.confirm(`Delete sampling rule ${name}?`)) return;
                        run(() => api.deleteSamplingRule(name), `Rule ${name} deleted.`).catch((error: unknown) => setMessage((error as Error).message));
                      }}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>New rule</h2>
      <RuleForm initial={EMPTY_FIELDS} submitLabel="Create rule" onSubmit={(rule) => run(() => api.createSamplingRule(rule), `Rule ${rule.RuleName ?? ''} created.`)} />
      <TelemetryTable api={api} refresh={refreshes} />
    </section>
  );
}

/** The fields UpdateSamplingRule changes: the Default rule takes only its rates. */
function updateOf(current: SamplingRule, next: SamplingRule): Partial<SamplingRule> & { RuleName: string } {
  const name = current.RuleName ?? '';
  if (name === DEFAULT_RULE) return { RuleName: name, FixedRate: next.FixedRate, ReservoirSize: next.ReservoirSize };
  const { RuleName: _name, RuleARN: _arn, Version: _version, ...fields } = next;
  return { ...fields, RuleName: name, Attributes: next.Attributes ?? {} };
}

const TEXT_FIELDS: ReadonlyArray<readonly [keyof RuleFields, string, string]> = [
  ['serviceName', 'Service name', 'e.g. xray-tracer/prod'],
  ['serviceType', 'Service type', 'e.g. AWS::ApiGateway::Stage'],
  ['host', 'Host', '*'],
  ['method', 'HTTP method', 'e.g. GET'],
  ['urlPath', 'URL path', 'e.g. /prod/health*'],
  ['resourceArn', 'Resource ARN', '*'],
];

function RuleForm(props: {
  readonly initial: RuleFields;
  readonly submitLabel: string;
  readonly onSubmit: (rule: SamplingRule) => Promise<void>;
  readonly onCancel?: () => void;
  /** Editing: the name stays. */
  readonly fixedName?: boolean;
  /** The Default rule: only its reservoir and rate change. */
  readonly onlyRates?: boolean;
}) {
  const [fields, setFields] = useState<RuleFields>(props.initial);
  const [problem, setProblem] = useState<{ field?: keyof RuleFields; message: string } | undefined>(undefined);
  const set = (field: keyof RuleFields) => (event: { target: { value: string } }) => setFields({ ...fields, [field]: event.target.value });
  const input = (field: keyof RuleFields, label: string, placeholder: string, extra: { disabled?: boolean; className?: string } = {}) => (
    <label className={extra.className}>
      {label}
      <input
        aria-label={`Rule ${label.toLowerCase()}`}
        aria-invalid={problem?.field === field}
        value={fields[field]}
        placeholder={placeholder}
        disabled={extra.disabled}
        spellCheck={false}
        onChange={set(field)}
      />
    </label>
  );
  return (
    <form
      className="group-form rule-form"
      // Escape cancels an edit, as the Cancel button does (the form for a new one has none).
      onKeyDown={(event) => { if (event.key === 'Escape' && props.onCancel !== undefined) { event.preventDefault(); props.onCancel(); } }}
      onSubmit={(event) => {
        event.preventDefault();
        const result = ruleOf(fields);
        if (!result.ok) {
          setProblem({ field: result.field, message: result.message });
          return;
        }
        setProblem(undefined);
        props.onSubmit(result.rule).then(
          () => { if (props.fixedName !== true) setFields(props.initial); },
          (error: unknown) => setProblem({ message: (error as Error).message }),
        );
      }}
    >
      {input('name', 'Name', 'e.g. health-checks', { disabled: props.fixedName === true })}
      {input('priority', 'Priority', '1 to 9999', { disabled: props.onlyRates === true })}
      {input('reservoir', 'Reservoir (per second)', '1')}
      {input('ratePercent', 'Rate (%)', '5')}
      {TEXT_FIELDS.map(([field, label, placeholder]) => <span key={field}>{input(field, label, placeholder, { disabled: props.onlyRates === true })}</span>)}
      <label className="grow">
        Attributes (key=value, one a line)
        <textarea aria-label="Rule attributes" className="mono" rows={2} value={fields.attributes} disabled={props.onlyRates === true} onChange={set('attributes')} />
      </label>
      <button type="submit" className="primary">{props.submitLabel}</button>
      {props.onCancel !== undefined && <button type="button" onClick={props.onCancel}>Cancel</button>}
      <div className="check" aria-live="polite">
        {problem !== undefined && <p className="error" role="alert">{problem.message}</p>}
      </div>
    </form>
  );
}
