import { XrayApiError } from '../api/client.ts';

/** Why a list of traces is empty, each case said as what it is. */
export type EmptyReason = 'loading' | 'bad-filter' | 'unreachable' | 'refused' | 'no-matches' | 'no-traces';

export interface EmptyState {
  readonly reason: EmptyReason;
  readonly text: string;
}

export function emptyState(input: {
  readonly loading: boolean;
  readonly error: Error | undefined;
  readonly filter: string;
  readonly group: string | undefined;
}): EmptyState {
  const { error } = input;
  if (error instanceof XrayApiError && error.status === 0) return { reason: 'unreachable', text: error.message };
  if (error instanceof XrayApiError && error.type === 'InvalidRequestException' && /FilterExpression/.test(error.message)) {
    return { reason: 'bad-filter', text: 'Bad filter: nothing is listed until the filter expression parses (the error is under it).' };
  }
  if (error !== undefined) return { reason: 'refused', text: `The service refused the request: ${error.message}` };
  if (input.loading) return { reason: 'loading', text: 'Loading…' };
  if (input.filter.trim() !== '' || input.group !== undefined) {
    const scope = [input.filter.trim() === '' ? undefined : 'the filter', input.group === undefined ? undefined : `group ${input.group}`].filter(Boolean).join(' and ');
    return { reason: 'no-matches', text: `No matches: no trace in this time range matches ${scope}.` };
  }
  return { reason: 'no-traces', text: 'No traces in this time range.' };
}
