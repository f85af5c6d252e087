/**
 * Headers of an integration's answer that API Gateway does not send under their own name: REST
 * APIs send them as `x-amzn-Remapped-<name>` (the gateway's own Date, Connection, ... go out
 * instead), per "Amazon API Gateway important notes for REST APIs". Content-Length is the gateway's
 * own, computed from the body it sends.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html
 */
const REMAPPED = new Set([
  'authorization', 'connection', 'content-md5', 'date', 'expect', 'host', 'max-forwards', 'proxy-authenticate',
  'server', 'te', 'transfer-encoding', 'trailer', 'upgrade', 'user-agent', 'via', 'warn', 'www-authenticate',
]);

/** The lower-case name an answer's header goes out under, or undefined when it is not sent. */
export function outgoingHeaderName(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower === 'content-length' || lower === 'keep-alive') return undefined;
  return REMAPPED.has(lower) ? `x-amzn-remapped-${lower}` : lower;
}
