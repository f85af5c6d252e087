/**
 * The X-Ray service's local-only service level objective API (src/xray/api/slos.ts), on the
 * origin that served the console, as the rest of the console calls the X-Ray API.
 */
import { XrayApiError } from '../api/client.ts';

export interface SloAttainment {
  readonly TotalCount: number;
  readonly GoodCount: number;
  readonly AttainmentPercent?: number;
  /** Null when the goal leaves no budget and it is spent. */
  readonly ErrorBudgetBurn: number | null;
  readonly Met: boolean;
}

export interface Slo {
  readonly Name: string;
  readonly Service: { readonly Name: string; readonly Type?: string };
  readonly Sli: { readonly Kind: 'availability' | 'latency'; readonly LatencyThresholdMs?: number };
  readonly GoalPercent: number;
  readonly WindowDays: number;
  readonly Attainment?: SloAttainment;
}

export type NewSlo = Omit<Slo, 'Attainment'>;

async function post<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new XrayApiError('NetworkError', 'the X-Ray service cannot be reached; is it still running?', 0);
  }
  const text = await response.text();
  let value: Record<string, unknown> = {};
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // An answer that is not JSON: its text is the message.
  }
  if (!response.ok) {
    const message = typeof value['message'] === 'string' ? value['message'] : text || response.statusText;
    throw new XrayApiError(typeof value['__type'] === 'string' ? value['__type'] : `HTTP ${response.status}`, message, response.status);
  }
  return value as T;
}

export const sloApi = {
  list: async (): Promise<Slo[]> => (await post<{ ServiceLevelObjectives?: Slo[] }>('/local/ServiceLevelObjectives', {})).ServiceLevelObjectives ?? [],
  create: async (slo: NewSlo): Promise<void> => { await post('/local/CreateServiceLevelObjective', slo); },
  remove: async (name: string): Promise<void> => { await post('/local/DeleteServiceLevelObjective', { Name: name }); },
};
