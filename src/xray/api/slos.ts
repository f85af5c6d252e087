/**
 * Service level objectives, a local-only API beside X-Ray's (AWS has them in Application Signals,
 * not in X-Ray): `POST /local/CreateServiceLevelObjective`, `/local/ServiceLevelObjectives` (each
 * with its attainment over its rolling window ending now), `/local/DeleteServiceLevelObjective`.
 * Refusals are InvalidRequestException, an unknown name ResourceNotFoundException.
 */
import { toServiceGraph } from '../graph/service-graph.ts';
import { invalidRequest, resourceNotFound } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { optionalNumber, optionalString, requiredEnum, requiredNumber, requiredString } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';
import type { GraphReader } from '../store/index.ts';
import { attainment } from '../slo/attainment.ts';
import type { ServiceLevelObjective, SloStorage } from '../slo/slo-store.ts';

export const MAX_SLOS = 100;
const MAX_WINDOW_DAYS = 30;

export interface SloRoutesOptions {
  readonly storage: SloStorage;
  readonly graph: GraphReader;
  readonly beforeRead?: () => Promise<void>;
  readonly nowSeconds: () => number;
}

function sloJson(slo: ServiceLevelObjective): Record<string, unknown> {
  return {
    Name: slo.name,
    Service: { Name: slo.serviceName, ...(slo.serviceType !== undefined ? { Type: slo.serviceType } : {}) },
    Sli: { Kind: slo.kind, ...(slo.latencyThresholdMs !== undefined ? { LatencyThresholdMs: slo.latencyThresholdMs } : {}) },
    GoalPercent: slo.goalPercent,
    WindowDays: slo.windowDays,
    CreatedAt: slo.createdAtSeconds,
  };
}

function readSlo(body: JsonObject, nowSeconds: number): ServiceLevelObjective {
  const name = requiredString(body, 'Name');
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(name)) throw invalidRequest('Name must be 1 to 128 letters, digits, dots, dashes or underscores');
  const service = body['Service'];
  if (typeof service !== 'object' || service === null || Array.isArray(service)) throw invalidRequest('Service must be an object {Name, Type}');
  const serviceName = requiredString(service as JsonObject, 'Name', 'Service.');
  const serviceType = optionalString(service as JsonObject, 'Type');
  const sli = body['Sli'];
  if (typeof sli !== 'object' || sli === null || Array.isArray(sli)) throw invalidRequest('Sli must be an object {Kind, LatencyThresholdMs}');
  const kind = requiredEnum(sli as JsonObject, 'Kind', ['availability', 'latency'] as const);
  const latencyThresholdMs = optionalNumber(sli as JsonObject, 'LatencyThresholdMs', 'Sli.');
  if (kind === 'latency' && (latencyThresholdMs === undefined || !(latencyThresholdMs > 0))) throw invalidRequest('Sli.LatencyThresholdMs must be a positive number of milliseconds for a latency objective');
  if (kind === 'availability' && latencyThresholdMs !== undefined) throw invalidRequest('Sli.LatencyThresholdMs applies to latency objectives only');
  const goalPercent = requiredNumber(body, 'GoalPercent');
  if (!(goalPercent > 0 && goalPercent < 100)) throw invalidRequest('GoalPercent must be more than 0 and less than 100');
  const windowDays = optionalNumber(body, 'WindowDays') ?? 7;
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > MAX_WINDOW_DAYS) throw invalidRequest(`WindowDays must be a whole number of days from 1 to ${MAX_WINDOW_DAYS} (traces are kept 30 days)`);
  return { name, serviceName, serviceType, kind, latencyThresholdMs, goalPercent, windowDays, createdAtSeconds: nowSeconds };
}

export function addSloRoutes(router: Router, options: SloRoutesOptions): Router {
  const { storage } = options;
  return router
    .postJson('/local/CreateServiceLevelObjective', (body) => {
      const slo = readSlo(body, options.nowSeconds());
      if (storage.list().length >= MAX_SLOS) throw invalidRequest(`At most ${MAX_SLOS} service level objectives`);
      if (!storage.create(slo)) throw invalidRequest(`A service level objective named ${slo.name} exists`);
      return { ServiceLevelObjective: sloJson(slo) };
    })
    .postJson('/local/ServiceLevelObjectives', async () => {
      await options.beforeRead?.();
      const endTime = options.nowSeconds();
      return {
        ServiceLevelObjectives: storage.list().map((slo) => {
          const window = { startTime: endTime - slo.windowDays * 86400, endTime };
          const services = toServiceGraph(options.graph.getGraphMinutes(window), window);
          const result = attainment(slo, services);
          return {
            ...sloJson(slo),
            Attainment: {
              WindowStartTime: window.startTime,
              WindowEndTime: window.endTime,
              TotalCount: result.totalCount,
              GoodCount: result.goodCount,
              ...(result.attainmentPercent !== undefined ? { AttainmentPercent: result.attainmentPercent } : {}),
              // JSON has no infinity: a zero budget with bad requests is burnt, reported as null.
              ErrorBudgetBurn: Number.isFinite(result.errorBudgetBurn) ? result.errorBudgetBurn : null,
              Met: result.met,
            },
          };
        }),
      };
    })
    .postJson('/local/DeleteServiceLevelObjective', (body) => {
      const name = requiredString(body, 'Name');
      if (!storage.delete(name)) throw resourceNotFound(`No service level objective named ${name}`, name);
      return {};
    });
}
