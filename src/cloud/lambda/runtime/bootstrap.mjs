// The runtime of a local Lambda execution environment: loads the function's handler from
// LAMBDA_TASK_ROOT (as the Node.js managed runtime does, from _HANDLER), then runs one invocation at a
// time as the parent process asks over IPC. Plain JavaScript; the one loader hook
// (node-path-hook.mjs) gives ES module handlers the NODE_PATH folders (the runtime's AWS SDK), which
// CommonJS reads by itself, as on Lambda. Message shapes: ../protocol.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { Buffer } from 'node:buffer';

let currentRequestId;

/** Sends a message and resolves once it is handed to the IPC channel. */
function send(message) {
  return new Promise((resolve) => {
    process.send(message, undefined, undefined, () => resolve());
  });
}

function toRuntimeError(error, fallbackType) {
  if (error instanceof Error) {
    return {
      errorType: error.name || fallbackType,
      errorMessage: error.message,
      trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  return { errorType: fallbackType ?? typeof error, errorMessage: typeof error === 'string' ? error : format(error), trace: [] };
}

function maxRssKb() {
  return process.resourceUsage().maxRSS;
}

// Output goes to the parent over the IPC channel, the same channel as the answer, so every line is
// read before the answer of the invocation that wrote it and is attributed to the right trace.
// Anything written around these streams (native code, a crash) still reaches the pipes.
const directWrite = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
function forwardOutput() {
  for (const name of ['stdout', 'stderr']) {
    process[name].write = (chunk, encoding, callback) => {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (!process.connected) return directWrite[name](chunk, encoding, callback);
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
      process.send({ type: 'log', stream: name, text });
      if (typeof done === 'function') process.nextTick(done);
      return true;
    };
  }
}

// Like the managed runtime: console lines carry time, request id and level (text log format).
function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', debug: 'DEBUG', warn: 'WARN', error: 'ERROR', trace: 'TRACE' };
  for (const [method, level] of Object.entries(levels)) {
    const stream = level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout;
    console[method] = (...args) => {
      const text = format(...args).replace(/\n/g, '\r');
      stream.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${text}\n`);
    };
  }
}

async function loadHandler() {
  const spec = process.env._HANDLER ?? '';
  const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const dot = spec.lastIndexOf('.');
  if (dot <= 0 || dot === spec.length - 1) {
    throw Object.assign(new Error(`Bad handler ${spec}`), { name: 'Runtime.MalformedHandlerName' });
  }
  const modulePath = spec.slice(0, dot);
  const exportPath = spec.slice(dot + 1);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => join(taskRoot, modulePath + ext)).find((path) => existsSync(path));
  if (file === undefined) {
    throw Object.assign(new Error(`Error: Cannot find module '${modulePath}'`), { name: 'Runtime.ImportModuleError' });
  }
  const module = await import(pathToFileURL(file).href);
  const handler = exportPath.split('.').reduce((value, key) => (value == null ? undefined : value[key]), module);
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${spec} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return handler;
}

function contextFor(message) {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: message.functionVersion ?? env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: message.clientContextJson === undefined ? undefined : JSON.parse(message.clientContextJson),
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  };
}

/** Calls the handler the way the Node.js runtime does: a returned promise or the callback, whichever settles first. */
function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (error, value) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(value);
    };
    context.done = done;
    context.succeed = (value) => done(null, value);
    context.fail = (error) => done(error ?? 'handled');
    try {
      const result = handler(event, context, done);
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        result.then((value) => done(null, value), (error) => done(error ?? new Error('handler rejected with no reason')));
      } else if (handler.length < 3) {
        done(null, result);
      }
    } catch (error) {
      done(error);
    }
  });
}

// The error as the managed runtime logs it (text format): name, message, code, the error's own
// enumerable properties, then the stack as lines; nested errors likewise. A non-error is wrapped
// in an Error first. Falls back to the response's shape when it cannot be serialized (a cycle).
function withEnumerableProperties(value) {
  if (!(value instanceof Error)) return value;
  const shown = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
  if (typeof value.stack === 'string') shown.stack = value.stack.split('\n');
  return shown;
}
function formattedInvokeError(error) {
  const asError = error instanceof Error ? error : new Error(error);
  try {
    return '\t' + JSON.stringify(asError, (_key, value) => withEnumerableProperties(value));
  } catch {
    return '\t' + JSON.stringify(toRuntimeError(asError));
  }
}

async function invoke(handler, message) {
  currentRequestId = message.requestId;
  if (message.traceHeader === undefined) delete process.env._X_AMZN_TRACE_ID;
  else process.env._X_AMZN_TRACE_ID = message.traceHeader;
  try {
    const event = JSON.parse(message.eventJson);
    let value;
    try {
      value = await callHandler(handler, event, contextFor(message));
    } catch (error) {
      // The managed runtime's line for a handler that throws, rejects or calls back with an error:
      // `<time>\t<request id>\tERROR\tInvoke Error \t{...}` (console.error of two arguments).
      console.error('Invoke Error', formattedInvokeError(error));
      throw error;
    }
    let payloadJson;
    try {
      payloadJson = JSON.stringify(value === undefined ? null : value);
    } catch (error) {
      throw Object.assign(new Error(`Unable to stringify response body: ${error.message}`), { name: 'Runtime.ResponseSerializationError' });
    }
    await send({ type: 'result', requestId: message.requestId, payloadJson, maxRssKb: maxRssKb() });
  } catch (error) {
    await send({ type: 'error', requestId: message.requestId, error: toRuntimeError(error), maxRssKb: maxRssKb() });
  }
}

// As the managed runtime: an error escaping the handler's promise ends the environment.
// The process exits right after, so these lines go straight to the pipe.
function crashLine(label, error, type) {
  directWrite.stderr(`${new Date().toISOString()}\t${currentRequestId}\tERROR\t${label} ${JSON.stringify(toRuntimeError(error, type))}\n`);
}
process.on('uncaughtException', (error) => {
  crashLine('Uncaught Exception', error, 'Runtime.UncaughtException');
  process.exit(129);
});
process.on('unhandledRejection', (reason) => {
  crashLine('Unhandled Promise Rejection', reason, 'Runtime.UnhandledPromiseRejection');
  process.exit(128);
});

forwardOutput();
patchConsole();
const nodePath = (process.env.NODE_PATH ?? '').split(':').filter((folder) => folder !== '');
if (nodePath.length > 0) {
  // module.register is Node.js 20.6+; before it, ES module handlers do without (CommonJS still reads NODE_PATH).
  const { register } = await import('node:module');
  if (typeof register === 'function') register('./node-path-hook.mjs', import.meta.url, { data: { paths: nodePath } });
}
let handler;
try {
  handler = await loadHandler();
} catch (error) {
  const runtimeError = toRuntimeError(error, 'Runtime.ImportModuleError');
  console.error(`${runtimeError.errorType}: ${runtimeError.errorMessage}`);
  await send({ type: 'init-error', error: runtimeError });
  process.exit(1);
}
// One invocation at a time: the parent sends the next only after this one's answer.
process.on('message', (message) => {
  if (message && message.type === 'invoke') void invoke(handler, message);
});
process.on('disconnect', () => process.exit(0));
await send({ type: 'ready' });
