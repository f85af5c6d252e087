import { useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import type { Group } from '../api/types.ts';
import type { TimeRange } from './time-range.ts';
import { PRESETS } from './time-range.ts';
import { useLoader } from './use-loader.ts';

export function TimeRangePicker(props: { readonly value: TimeRange; readonly onChange: (range: TimeRange) => void }) {
  const { value, onChange } = props;
  const [customOpen, setCustomOpen] = useState(value.preset === 'custom');
  const nowSeconds = Math.floor(Date.now() / 1000);
  const [from, setFrom] = useState(toLocalInput(value.from ?? nowSeconds - 3600));
  const [to, setTo] = useState(toLocalInput(value.to ?? nowSeconds));
  const fromSeconds = fromLocalInput(from);
  const toSeconds = fromLocalInput(to);
  const customValid = fromSeconds !== undefined && toSeconds !== undefined && toSeconds > fromSeconds;
  return (
    <span className="time-range">
      <select
        aria-label="Time range"
        value={customOpen ? 'custom' : value.preset}
        onChange={(event) => {
          if (event.target.value === 'custom') setCustomOpen(true);
          else {
            setCustomOpen(false);
            onChange({ preset: event.target.value });
          }
        }}
      >
        {PRESETS.map((preset) => <option key={preset.id} value={preset.id}>{preset.label}</option>)}
        <option value="custom">Custom…</option>
      </select>
      {customOpen && (
        <span className="custom-range">
          <input aria-label="From" type="datetime-local" step="1" value={from} onChange={(event) => setFrom(event.target.value)} />
          <span>to</span>
          <input aria-label="To" type="datetime-local" step="1" value={to} onChange={(event) => setTo(event.target.value)} />
          <button
            type="button"
            disabled={!customValid}
            title={customValid ? undefined : 'the end must come after the start'}
            onClick={() => { if (customValid) onChange({ preset: 'custom', from: fromSeconds, to: toSeconds }); }}
          >
            Apply
          </button>
        </span>
      )}
    </span>
  );
}

function toLocalInput(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000 - new Date().getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 19);
}

function fromLocalInput(text: string): number | undefined {
  const millis = new Date(text).getTime();
  return Number.isFinite(millis) ? Math.floor(millis / 1000) : undefined;
}

export function GroupSelect(props: { readonly api: XrayApi; readonly value: string | undefined; readonly onChange: (group: string | undefined) => void }) {
  const groups = useLoader<Group[]>('groups', () => props.api.groups());
  const names = (groups.value ?? []).map((group) => group.GroupName).filter((name) => name !== 'Default');
  const known = props.value === undefined || names.includes(props.value);
  return (
    <select aria-label="Group" value={props.value ?? ''} onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}>
      <option value="">All traces (Default group)</option>
      {names.map((name) => <option key={name} value={name}>Group: {name}</option>)}
      {!known && props.value !== undefined && <option value={props.value}>Group: {props.value} (not found)</option>}
    </select>
  );
}
