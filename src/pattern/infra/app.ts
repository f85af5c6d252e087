import { buildApp } from './build-app.ts';

// Entry point of `cdk synth` / `cdk deploy` (see cdk.json): wiring only.
buildApp().app.synth();
