import { useEffect, useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import type { Group } from '../api/types.ts';
import { navigate } from '../shared/route.ts';
import { useLoader } from '../shared/use-loader.ts';
import { FilterError } from '../traces/filter-box.tsx';

const CHECK_DELAY_MILLIS = 250;

/** Groups: create, edit and delete, each filter checked by the service as it is typed. */
export function GroupsPage(props: { readonly api: XrayApi }) {
  const { api } = props;
  const groups = useLoader<Group[]>('groups', () => api.groups());
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);

  const run = async (action: () => Promise<void>, done: string): Promise<boolean> => {
    try {
      await action();
      setMessage(done);
      groups.reload();
      return true;
    } catch (error) {
      setMessage(undefined);
      throw error;
    }
  };

  return (
    <section className="page groups-page">
      <header className="toolbar"><h1>Groups</h1></header>
      <p className="muted">A group is a named filter expression: the map, the traces and the X-Ray API can be scoped to it.</p>
      {message !== undefined && <p className="notice" role="status">{message}</p>}
      {groups.error !== undefined && <p className="error" role="alert">{groups.error.message}</p>}
      <table className="groups">
        <thead><tr><th>Name</th><th>Filter expression</th><th /></tr></thead>
        <tbody>
          {(groups.value ?? []).map((group) => (
            editing === group.GroupName
              ? (
                  <tr key={group.GroupName} data-group={group.GroupName}>
                    <td colSpan={3}>
                      <GroupForm
                        api={api}
                        name={group.GroupName}
                        filter={group.FilterExpression ?? ''}
                        submitLabel="Save"
                        onCancel={() => setEditing(undefined)}
                        onSubmit={async (_name, filter) => {
                          await run(() => api.updateGroup(group.GroupName, filter), `Group ${group.GroupName} saved.`);
                          setEditing(undefined);
                        }}
                      />
                    </td>
                  </tr>
                )
              : (
                  <tr key={group.GroupName} data-group={group.GroupName}>
                    <td>{group.GroupName}</td>
                    <td className="mono">{group.FilterExpression ?? <span className="muted">all traces</span>}</td>
                    <td className="actions">
                      <button type="button" onClick={() => navigate('map', '', { group: group.GroupName === 'Default' ? undefined : group.GroupName })}>Map</button>
                      <button type="button" onClick={() => navigate('traces', '', { group: group.GroupName === 'Default' ? undefined : group.GroupName })}>Traces</button>
                      {group.GroupName !== 'Default' && <button type="button" onClick={() => setEditing(group.GroupName)}>Edit</button>}
                      {group.GroupName !== 'Default' && (
                        <button
                          type="button"
                          className="danger"
                          onClick={() => {
                            if (!window.confirm(`Delete group ${group.GroupName}? Its traces stay.`)) return;
                            run(() => api.deleteGroup(group.GroupName), `Group ${group.GroupName} deleted.`).catch((error: unknown) => setMessage(String((error as Error).message)));
                          }}
                        >
                          Delete
                        </button>
                      )}
                    </td>
                  </tr>
                )
          ))}
        </tbody>
      </table>
      <h2>New group</h2>
      <GroupForm
        api={api}
        name=""
        filter=""
        submitLabel="Create group"
        onSubmit={(name, filter) => run(() => api.createGroup(name, filter), `Group ${name} created.`).then(() => undefined)}
      />
    </section>
  );
}

function GroupForm(props: {
  readonly api: XrayApi;
  readonly name: string;
  readonly filter: string;
  readonly submitLabel: string;
  readonly onSubmit: (name: string, filter: string) => Promise<void>;
  readonly onCancel?: () => void;
}) {
  const editing = props.name !== '';
  const [name, setName] = useState(props.name);
  const [filter, setFilter] = useState(props.filter);
  const [check, setCheck] = useState<{ filter: string; error: string | undefined; checking: boolean }>({ filter: props.filter, error: undefined, checking: false });
  const [submitError, setSubmitError] = useState<string | undefined>(undefined);

  // Ask the service to parse the filter shortly after typing stops; only the newest answer counts.
  useEffect(() => {
    if (filter.trim() === '') {
      setCheck({ filter, error: undefined, checking: false });
      return undefined;
    }
    setCheck((current) => ({ ...current, checking: true }));
    let current = true;
    const timer = window.setTimeout(() => {
      props.api.checkFilter(filter, Math.floor(Date.now() / 1000)).then(
        () => { if (current) setCheck({ filter, error: undefined, checking: false }); },
        (error: unknown) => { if (current) setCheck({ filter, error: (error as Error).message, checking: false }); },
      );
    }, CHECK_DELAY_MILLIS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [filter, props.api]);

  const valid = check.filter === filter && check.error === undefined && !check.checking;
  return (
    <form
      className="group-form"
      // Escape cancels an edit, as the Cancel button does (the form for a new one has none).
      onKeyDown={(event) => { if (event.key === 'Escape' && props.onCancel !== undefined) { event.preventDefault(); props.onCancel(); } }}
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid || name.trim() === '') return;
        setSubmitError(undefined);
        props.onSubmit(name.trim(), filter).then(
          () => { if (!editing) { setName(''); setFilter(''); } },
          (error: unknown) => setSubmitError((error as Error).message),
        );
      }}
    >
      <label>
        Name
        <input aria-label="Group name" value={name} disabled={editing} maxLength={32} onChange={(event) => setName(event.target.value)} placeholder="e.g. http-faults" />
      </label>
      <label className="grow">
        Filter expression
        <input aria-label="Group filter expression" className="mono" value={filter} spellCheck={false} onChange={(event) => setFilter(event.target.value)} placeholder='e.g. service(id(type: "AWS::Lambda::Function")) { fault }' />
      </label>
      <button type="submit" className="primary" disabled={!valid || name.trim() === ''}>{props.submitLabel}</button>
      {props.onCancel !== undefined && <button type="button" onClick={props.onCancel}>Cancel</button>}
      <div className="check" aria-live="polite">
        {filter.trim() !== '' && check.checking && <span className="muted">Checking…</span>}
        {filter.trim() !== '' && valid && <span className="ok-text">✓ Valid filter expression</span>}
        {check.error !== undefined && check.filter === filter && <FilterError filter={filter} message={check.error} />}
        {submitError !== undefined && <p className="error" role="alert">{submitError}</p>}
      </div>
    </form>
  );
}
