/**
 * The corpus of filter expressions: valid ones with the traces of corpus.ts each must match
 * (worked out by hand from the trace table, not from the evaluator), and invalid ones with the
 * exact error message and column.
 */
import { TRACE_IDS } from './corpus.ts';

export interface ValidCase {
  readonly filter: string;
  /** Ids of the traces in corpus.ts the filter matches, in corpus order or any order. */
  readonly matches: readonly string[];
}

export interface InvalidCase {
  readonly filter: string;
  readonly message: string;
  readonly column: number;
  /** UnsupportedFilterError rather than FilterParseError. */
  readonly unsupported?: boolean;
}

const ALL = TRACE_IDS;
const except = (...ids: string[]): readonly string[] => ALL.filter((id) => !ids.includes(id));
const WITH_FAN_OUT = except('gateway-400', 'throttled', 'report-worker');

export const VALID: readonly ValidCase[] = [
  // ---- boolean keywords ----
  { filter: 'ok', matches: except('gateway-400', 'throttled', 'sns-publish-fault') },
  { filter: '!ok', matches: ['gateway-400', 'throttled', 'sns-publish-fault'] },
  { filter: 'ok = false', matches: ['gateway-400', 'throttled', 'sns-publish-fault'] },
  { filter: 'error', matches: ['gateway-400', 'throttled'] },
  { filter: 'Error = TRUE', matches: ['gateway-400', 'throttled'] },
  { filter: 'throttle', matches: ['throttled'] },
  { filter: 'fault = true', matches: ['sns-publish-fault'] },
  { filter: 'fault != false', matches: ['sns-publish-fault'] },
  { filter: 'partial', matches: ['sqs-partial'] },
  { filter: 'inferred', matches: except('gateway-400', 'throttled') },
  { filter: 'NOT inferred', matches: ['gateway-400', 'throttled'] },
  { filter: 'ok !partial duration <3', matches: ['dynamo-ok', 'http-ssl-fault', 'http-remote-fault', 'sns-chain', 'sqs-flow', 'unicode-cafe'] },

  // ---- number keywords ----
  { filter: 'responsetime > 3', matches: ['slow-dynamo', 'report-worker'] },
  { filter: 'duration >= 1.2 AND duration <= 5.5', matches: ['http-remote-fault', 'sqs-flow', 'sqs-partial', 'slow-dynamo'] },
  { filter: 'http.status != 200', matches: ['gateway-400', 'throttled', 'sns-publish-fault'] },
  { filter: 'http.status >= 400 AND http.status < 500', matches: ['gateway-400', 'throttled'] },
  { filter: 'http.status = 5e2', matches: ['sns-publish-fault'] },
  { filter: 'responsetime < 0.005', matches: ['gateway-400', 'throttled'] },
  { filter: 'responsetime <= 8.5E-2', matches: ['dynamo-ok', 'sns-chain', 'sqs-flow', 'gateway-400', 'throttled', 'sqs-partial'] },
  { filter: 'duration > -1', matches: ALL },
  { filter: 'http.status', matches: except('report-worker') },
  { filter: '!http.status', matches: ['report-worker'] },
  { filter: 'http.url AND responseTime > 2', matches: ['slow-dynamo'] },

  // ---- string keywords ----
  { filter: 'http.url CONTAINS "/prod/dynamo"', matches: ['dynamo-ok', 'throttled', 'slow-dynamo'] },
  { filter: 'http.url ENDSWITH "/prod/sqs"', matches: ['sqs-flow'] },
  { filter: 'http.url BEGINSWITH "https://abc123.execute-api"', matches: except('report-worker') },
  { filter: 'http.url contains "/prod/café"', matches: ['unicode-cafe'] },
  { filter: 'http.method = "POST"', matches: ['gateway-400'] },
  { filter: 'http.method != "GET"', matches: ['gateway-400'] },
  { filter: 'http.method = "get"', matches: [] },
  { filter: 'http.useragent CONTAINS "aws-sdk-js"', matches: ['throttled'] },
  { filter: 'http.clientip = "198.51.100.7"', matches: ['throttled', 'sns-publish-fault'] },
  { filter: 'http.clientip CONTAINS ":"', matches: ['unicode-cafe'] },
  { filter: 'user = "alice"', matches: ['dynamo-ok', 'sns-publish-fault', 'slow-dynamo'] },
  { filter: 'user != "alice"', matches: ['http-ssl-fault', 'http-remote-fault', 'throttled', 'unicode-cafe'] },
  { filter: 'user CONTAINS ""', matches: ['dynamo-ok', 'http-ssl-fault', 'http-remote-fault', 'throttled', 'sns-publish-fault', 'slow-dynamo', 'unicode-cafe'] },
  { filter: '!user', matches: ['sns-chain', 'sqs-flow', 'gateway-400', 'sqs-partial', 'report-worker'] },
  { filter: 'user = "dave" user = "alice"', matches: ['slow-dynamo'] },
  { filter: 'user = "zoë 🚀"', matches: ['unicode-cafe'] },
  { filter: 'availabilityzone = "us-east-1a"', matches: ['slow-dynamo'] },
  { filter: 'instance.id BEGINSWITH "i-0abc"', matches: ['report-worker'] },
  { filter: 'resource.arn ENDSWITH ":function:dynamo-fn"', matches: ['dynamo-ok', 'slow-dynamo', 'unicode-cafe'] },

  // ---- annotations ----
  { filter: 'annotation.path = "/prod/http"', matches: ['http-ssl-fault', 'http-remote-fault'] },
  { filter: 'annotation.path BEGINSWITH "/prod/dynamo"', matches: ['dynamo-ok', 'slow-dynamo'] },
  { filter: 'annotation.retries > 2', matches: ['slow-dynamo'] },
  { filter: 'annotation.retries >= 2', matches: ['sqs-partial', 'slow-dynamo'] },
  { filter: 'annotation.retries != 3', matches: ['sqs-partial'] },
  { filter: 'annotation.retries', matches: ['sqs-partial', 'slow-dynamo'] },
  { filter: '!annotation.path', matches: ['gateway-400', 'throttled', 'sns-publish-fault', 'report-worker'] },
  { filter: 'annotation.cold_start', matches: ['slow-dynamo'] },
  { filter: 'annotation.cold_start = false', matches: ['report-worker'] },
  { filter: '!annotation.cold_start', matches: except('slow-dynamo') },
  { filter: 'annotation.retries CONTAINS "3"', matches: [] },
  { filter: 'annotation.path > 1', matches: [] },
  { filter: 'annotation.message = "Simulated Message" OR annotation.message_content = "Simulated Message"', matches: ['sns-chain'] },
  { filter: 'annotation.message BEGINSWITH "hello from /prod/sqs"', matches: ['sqs-flow', 'sqs-partial'] },
  { filter: 'annotation.note = "say \\"hi\\" to C:\\\\tmp\\\\"', matches: ['unicode-cafe'] },
  { filter: `annotation.sql = "'; DROP TABLE x; --"`, matches: ['unicode-cafe'] },
  { filter: 'annotation.amount < -10', matches: ['unicode-cafe'] },
  { filter: 'annotation.mixed = 42', matches: ['unicode-cafe'] },
  { filter: 'annotation.mixed = "42"', matches: ['unicode-cafe'] },
  { filter: 'annotation.mixed = true', matches: ['slow-dynamo'] },
  { filter: 'annotation.mixed', matches: ['slow-dynamo', 'unicode-cafe'] },
  { filter: 'annotation.__proto__ = "proto-key"', matches: ['unicode-cafe'] },
  { filter: 'annotation.constructor OR annotation.toString', matches: [] },
  { filter: 'Annotation.Path = "/prod/sns"', matches: [] },
  { filter: 'annotation.status_code = 500 AND annotation.path ENDSWITH "http"', matches: ['http-remote-fault'] },

  // ---- service ----
  { filter: 'service("Hits")', matches: ['dynamo-ok', 'slow-dynamo', 'report-worker', 'unicode-cafe'] },
  { filter: '!service("Hits")', matches: except('dynamo-ok', 'slow-dynamo', 'report-worker', 'unicode-cafe') },
  { filter: 'service()', matches: ALL },
  { filter: 'service() { fault }', matches: ['http-ssl-fault', 'http-remote-fault', 'sns-publish-fault'] },
  { filter: 'service("http-fn") { fault }', matches: ['http-ssl-fault'] },
  { filter: 'service("dynamo-fn") { fault }', matches: [] },
  { filter: 'service(id(name: "http-fn", type: "AWS::Lambda")) { fault }', matches: [] },
  { filter: 'service(id(type: "AWS::SQS::Queue"))', matches: ['sqs-flow', 'sqs-partial'] },
  { filter: 'service(id(type: "remote")) { fault AND responsetime > 1 }', matches: ['http-remote-fault'] },
  { filter: 'service() { root AND type = "AWS::EC2::Instance" }', matches: ['report-worker'] },
  { filter: 'service() { throttle }', matches: ['throttled', 'slow-dynamo'] },
  { filter: 'service("fan-out") { inferred AND responsetime >= 0.3 }', matches: ['sns-publish-fault', 'slow-dynamo'] },
  { filter: 'service() { name ENDSWITH "-consumer-fn" AND !ok }', matches: ['sqs-partial'] },
  { filter: 'service("api.example.com") { fault = true OR responsetime > 2.5 } AND annotation.account = "12345"', matches: [] },
  { filter: 'SERVICE("xray-tracer-api/prod") { error } AND NOT service() { fault }', matches: ['gateway-400', 'throttled'] },

  // ---- edge ----
  { filter: 'edge("http-fn", "api.example.test") { fault }', matches: ['http-remote-fault'] },
  { filter: 'edge("xray-tracer-api/prod", "fan-out")', matches: WITH_FAN_OUT },
  { filter: 'edge("dynamo-fn", "Hits") { throttle OR responsetime > 1 }', matches: ['slow-dynamo'] },
  { filter: 'edge(id(name: "hits-queue", type: "AWS::SQS::Queue"), id(type: "AWS::Lambda"))', matches: ['sqs-flow'] },
  { filter: '!edge("fan-out", "http-fn")', matches: except('http-ssl-fault', 'http-remote-fault') },
  { filter: 'edge(id(type: "AWS::Lambda::Function"), id(type: "AWS::SNS")) { ok }', matches: ['sns-chain'] },

  // ---- groups ----
  { filter: 'group.name = "faults"', matches: ['http-ssl-fault', 'http-remote-fault', 'sns-publish-fault'] },
  { filter: 'group.name = "slow" AND user = "alice"', matches: ['slow-dynamo'] },
  { filter: 'group.arn = "arn:aws:xray:us-east-1:123456789012:group/slow/EF56GH78" AND !partial', matches: ['http-remote-fault', 'sqs-flow', 'slow-dynamo', 'report-worker'] },
  { filter: 'group.name != "slow"', matches: ['dynamo-ok', 'http-ssl-fault', 'sns-chain', 'gateway-400', 'throttled', 'sns-publish-fault', 'unicode-cafe'] },
  { filter: 'group.name = "Default"', matches: ALL },

  // ---- root causes ----
  { filter: 'rootcause.fault.service', matches: ['http-ssl-fault', 'http-remote-fault', 'sns-publish-fault'] },
  { filter: 'rootcause.fault.service { name = "http-fn" }', matches: ['http-ssl-fault'] },
  { filter: 'rootcause.fault.service { inferred AND type = "remote" }', matches: ['http-remote-fault'] },
  { filter: 'rootcause.fault.entity { last AND name = "api.example.test" }', matches: ['http-remote-fault'] },
  { filter: 'rootcause.fault.entity { remote AND index = 1 }', matches: ['sns-publish-fault'] },
  { filter: 'rootcause.fault.entity { last and name = "deserialize" }', matches: [] },
  { filter: 'rootcause.fault.exception { message = "SSL Cert Exception" }', matches: ['http-ssl-fault'] },
  { filter: 'rootcause.fault.exception { last AND name = "ServiceUnavailable" }', matches: ['sns-publish-fault'] },
  { filter: 'rootcause.fault.exception { first AND name = "ServiceUnavailable" }', matches: [] },
  { filter: 'rootcause.fault.exception { message CONTAINS "" }', matches: ['http-ssl-fault', 'http-remote-fault', 'sns-publish-fault'] },
  { filter: 'rootcause.fault.exception { !message }', matches: ['sns-publish-fault'] },
  { filter: 'rootcause.error.exception { name = "TooManyRequestsException" }', matches: ['throttled'] },
  { filter: 'rootcause.error.service { type = "AWS::ApiGateway::Stage" }', matches: ['gateway-400', 'throttled'] },
  { filter: 'rootcause.responsetime.entity { remote and coverage > 0.7 }', matches: ['http-remote-fault', 'slow-dynamo'] },
  { filter: 'rootcause.responsetime.entity { last and coverage > 0.8 }', matches: ['slow-dynamo'] },
  { filter: 'rootcause.responsetime.service { last and type = "AWS::DynamoDB::Table" }', matches: ['slow-dynamo'] },
  { filter: 'rootcause.responsetime.service { index > 0 }', matches: ['slow-dynamo'] },
  { filter: 'rootcause.responsetime.service { first AND !inferred }', matches: ['slow-dynamo', 'report-worker'] },
  {
    filter: '!rootcause.fault.service AND !rootcause.error.service',
    matches: ['dynamo-ok', 'sns-chain', 'sqs-flow', 'sqs-partial', 'slow-dynamo', 'report-worker', 'unicode-cafe'],
  },

  // ---- precedence, juxtaposition, case, layout ----
  { filter: 'fault OR error AND throttle', matches: ['throttled', 'sns-publish-fault'] },
  { filter: '(fault OR error) AND throttle', matches: ['throttled'] },
  { filter: '!fault AND !ok', matches: ['gateway-400', 'throttled'] },
  { filter: '!(fault OR ok)', matches: ['gateway-400', 'throttled'] },
  { filter: 'error OR fault NOT throttle', matches: ['gateway-400', 'throttled', 'sns-publish-fault'] },
  { filter: 'ok and partial or throttle', matches: ['throttled', 'sqs-partial'] },
  { filter: 'service("dynamo-fn")\n  AND responsetime > 1', matches: ['slow-dynamo'] },
  { filter: '((((ok)))) AND ((user = "bob"))', matches: ['http-ssl-fault', 'http-remote-fault'] },
  { filter: '!!fault', matches: ['sns-publish-fault'] },
  { filter: '\tok\u00a0AND\u00a0throttle ', matches: [] },
];

export const INVALID: readonly InvalidCase[] = [
  { filter: '', message: 'expected a filter expression at column 1', column: 1 },
  { filter: '   ', message: 'expected a filter expression at column 4', column: 4 },
  { filter: 'responsetime >', message: "expected a number after '>' at column 15", column: 15 },
  { filter: 'responsetime > "5"', message: `expected a number after '>', found string "5" at column 16`, column: 16 },
  { filter: 'responsetime 5', message: "expected an operator (=, !=, <, <=, >, >=) between 'responsetime' and number 5 at column 14", column: 14 },
  { filter: 'http.url = abc', message: "expected a quoted string after '=', found 'abc' at column 12", column: 12 },
  { filter: "http.url = 'abc'", message: `unexpected "'" (strings use double quotes) at column 12`, column: 12 },
  {
    filter: 'http.url > "a"',
    message: "operator '>' cannot compare string keyword 'http.url' (use =, !=, CONTAINS, BEGINSWITH or ENDSWITH) at column 10",
    column: 10,
  },
  { filter: 'duration CONTAINS 5', message: "operator CONTAINS cannot compare number keyword 'duration' (use =, !=, <, <=, >, >=) at column 10", column: 10 },
  { filter: 'ok > true', message: "operator '>' cannot compare boolean keyword 'ok' (use = or !=) at column 4", column: 4 },
  { filter: 'ok = 1', message: "expected true or false after '=', found number 1 at column 6", column: 6 },
  { filter: 'ok =', message: "expected true or false after '=' at column 5", column: 5 },
  { filter: '(ok', message: "'(' is never closed at column 1", column: 1 },
  { filter: 'ok)', message: "')' has no matching '(' at column 3", column: 3 },
  { filter: '(ok }', message: "expected AND, OR or ')', found '}' at column 5", column: 5 },
  { filter: 'foo = 1', message: "unknown keyword 'foo' at column 1", column: 1 },
  { filter: 'name = "x"', message: "'name' cannot be used outside a block at column 1", column: 1 },
  { filter: 'service("a") { annotation.x }', message: 'annotation.KEY cannot be used inside a service block at column 16', column: 16 },
  { filter: 'service("a") { service("b") }', message: 'service(...) cannot be used inside a service block at column 16', column: 16 },
  { filter: 'edge("a", "b") { name = "a" }', message: "'name' cannot be used inside an edge block at column 18", column: 18 },
  { filter: 'service(a)', message: "expected a quoted service name or id(...) in service(...), found 'a' at column 9", column: 9 },
  { filter: 'service "a"', message: `expected '(' after 'service', found string "a" at column 9`, column: 9 },
  { filter: 'edge("a")', message: "expected ',' and a destination service in edge(...), found ')' at column 9", column: 9 },
  { filter: 'edge("a", "b", "c")', message: "expected ')' after the destination in edge(...), found ',' at column 14", column: 14 },
  { filter: 'service("a") {', message: "expected a filter expression after '{' at column 15", column: 15 },
  { filter: 'service("a") { }', message: "expected a filter expression after '{', found '}' at column 16", column: 16 },
  { filter: 'service("a") { fault', message: "'{' is never closed at column 14", column: 14 },
  { filter: 'http.url = "abc', message: 'unterminated string at column 12', column: 12 },
  { filter: 'http.url = "a\\qb"', message: "unknown escape '\\q' in string at column 14", column: 14 },
  { filter: 'user = "\\u12"', message: "expected 4 hex digits after '\\u' in string at column 9", column: 9 },
  { filter: 'ok AND', message: 'expected a filter expression after AND at column 7', column: 7 },
  { filter: 'ok OR', message: 'expected a filter expression after OR at column 6', column: 6 },
  { filter: 'OR ok', message: "expected a filter expression, found 'OR' at column 1", column: 1 },
  { filter: 'ok !', message: "expected a filter expression after '!' at column 5", column: 5 },
  { filter: 'NOT', message: 'expected a filter expression after NOT at column 4', column: 4 },
  { filter: 'ok && fault', message: "unexpected '&' (use AND) at column 4", column: 4 },
  { filter: 'ok || fault', message: "unexpected '|' (use OR) at column 4", column: 4 },
  { filter: 'http.status == 200', message: "unexpected '==' (use =) at column 13", column: 13 },
  { filter: 'ok @ fault', message: "unexpected character '@' at column 4", column: 4 },
  { filter: 'annotation. = 1', message: "expected an annotation key after 'annotation.' at column 1", column: 1 },
  { filter: 'annotation.a.b', message: "invalid annotation key 'a.b' (keys are letters, digits and underscores) at column 12", column: 12 },
  { filter: 'annotation.x CONTAINS 5', message: 'expected a quoted string after CONTAINS, found number 5 at column 23', column: 23 },
  { filter: 'annotation.x > "a"', message: `expected a number after '>', found string "a" at column 16`, column: 16 },
  { filter: 'annotation.x = maybe', message: "expected a quoted string, a number, true or false after '=', found 'maybe' at column 16", column: 16 },
  { filter: 'id(name: "x")', message: 'id(...) can only be used inside service(...) or edge(...) at column 1', column: 1 },
  { filter: 'service(id(name: "x", name: "y"))', message: "duplicate field 'name' in id(...) at column 23", column: 23 },
  { filter: 'service(id())', message: "expected name: or type: in id(...), found ')' at column 12", column: 12 },
  { filter: 'service(id(kind: "x"))', message: "unknown field 'kind' in id(...) (use name or type) at column 12", column: 12 },
  { filter: 'service(id(name "x"))', message: `expected ':' after 'name' in id(...), found string "x" at column 17`, column: 17 },
  { filter: 'rootcause.fault.entity { coverage > 0.5 }', message: "'coverage' cannot be used inside a rootcause.fault.entity block at column 26", column: 26 },
  { filter: 'rootcause.fault.service { remote }', message: "'remote' cannot be used inside a rootcause.fault.service block at column 27", column: 27 },
  {
    filter: 'rootcause.responsetime.exception { name = "x" }',
    message: 'rootcause.responsetime has no exceptions (use rootcause.responsetime.service or .entity) at column 1',
    column: 1,
  },
  {
    filter: 'rootcause.fault',
    message: "unknown keyword 'rootcause.fault' (use rootcause.{fault|error|responsetime}.{service|entity|exception}) at column 1",
    column: 1,
  },
  { filter: 'first', message: "'first' cannot be used outside a block at column 1", column: 1 },
  { filter: 'group.name CONTAINS "x"', message: "operator CONTAINS cannot compare 'group.name' (use = or !=) at column 12", column: 12 },
  { filter: 'group.name', message: "expected = or != after 'group.name' at column 11", column: 11 },
  { filter: 'responsetime > 1.', message: "malformed number '1.' at column 16", column: 16 },
  { filter: 'http.status = 1e999', message: 'number 1e999 is out of range at column 15', column: 15 },
  { filter: 'ok = true false', message: "expected AND, OR or the end of the filter, found 'false' at column 11", column: 11 },
  { filter: 'ok\nAND (fault\n  OR )', message: "expected a filter expression after OR, found ')' at line 3, column 6", column: 6 },
  { filter: 'user = "🚀" AND ?', message: "unexpected character '?' at column 16", column: 16 },
  {
    filter: 'rootcause.json = #[{ "Services": [] }]',
    message: 'rootcause.json is not supported: JSON root cause objects are not evaluated; use rootcause.{fault|error|responsetime}.{service|entity|exception} { ... } (at column 1)',
    column: 1,
    unsupported: true,
  },
];
