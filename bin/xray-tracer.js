#!/usr/bin/env node
// Runs the TypeScript CLI directly: no build step between a checkout and a working command.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on Node 20 that its releases from 2027 will need Node 22; the version pinned here
// runs on Node 20, so the warning would only bury the command's own output. Set it to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../src/cli/commands/main.ts');
