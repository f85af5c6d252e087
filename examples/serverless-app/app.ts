import { App } from 'aws-cdk-lib';
import { ServerlessExampleStack } from './stack.ts';

// Entry point of `cdk synth` in this folder (see cdk.json): one stack, as a small user's app has.
const app = new App();
new ServerlessExampleStack(app, 'ServerlessExample');
app.synth();
