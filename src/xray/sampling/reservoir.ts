/**
 * A rule's reservoir shared between the clients (SDK instances) that apply it: ReservoirSize is
 * requests a second for all of them together, so each gets a quota and the quotas add up to the
 * size. Split evenly; the remainder goes one each to the first clients in ClientID order, so every
 * client computes the same split whoever asks first.
 */
export function reservoirQuota(size: number, activeClients: readonly string[], client: string): number {
  const clients = [...new Set([...activeClients, client])].sort();
  const index = clients.indexOf(client);
  const base = Math.floor(size / clients.length);
  return base + (index < size % clients.length ? 1 : 0);
}
