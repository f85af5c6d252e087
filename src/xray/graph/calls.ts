import type { EntityRef } from './model.ts';
import { brokerOf, isBrokerSegment, isNamespaced } from './naming.ts';
import type { Broker } from './naming.ts';

/** What one subsegment's call reaches, as both the service graph and the filter language draw it. */
export interface CallTargets {
  /** SNS or SQS when the call publishes or sends to one. */
  readonly broker: Broker | undefined;
  /** Callees drawn straight from the caller (for a broker: the broker's own segment). */
  readonly direct: readonly EntityRef[];
  /** Consumers behind the broker, hung below its inferred node; `linked` when found through a link. */
  readonly brokered: ReadonlyArray<{ readonly callee: EntityRef; readonly linked: boolean }>;
  /** The call draws an inferred node: a broker with consumers, or an AWS or remote call no segment answered. */
  readonly inferred: boolean;
}

/** `namespacedAbove`: an enclosing subsegment already drew the inferred node for this call. */
export function callTargets(call: EntityRef, namespacedAbove: boolean): CallTargets {
  const broker = brokerOf(call.entity);
  const direct = call.callees.filter((callee) => broker === undefined || isBrokerSegment(callee.entity, broker));
  const brokered = broker === undefined ? [] : [
    ...call.callees.filter((callee) => !isBrokerSegment(callee.entity, broker)).map((callee) => ({ callee, linked: false })),
    ...call.linked.map((callee) => ({ callee, linked: true })),
  ];
  const inferred = brokered.length > 0 || (isNamespaced(call.entity) && !namespacedAbove && direct.length === 0);
  return { broker, direct, brokered, inferred };
}
