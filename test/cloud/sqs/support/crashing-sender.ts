// Child process for the kill -9 test: fills a queue, takes some messages in flight, says "ready"
// and waits to be killed without any chance to close the store.
import { SqliteMessageStore, SqsService } from '../../../../src/cloud/sqs/index.ts';

const [file, sent, inFlight] = process.argv.slice(2);
const sqs = new SqsService({ store: new SqliteMessageStore(file ?? '') });
const queue = sqs.createQueue('work', { VisibilityTimeout: '30' });
for (let i = 0; i < Number(sent); i += 1) await sqs.sendMessage(queue.url, `message ${i}`);
let taken = 0;
while (taken < Number(inFlight)) taken += (await sqs.receive(queue.url, { maxMessages: Math.min(10, Number(inFlight) - taken) })).length;
process.stdout.write('ready\n');
setInterval(() => {}, 1000);
