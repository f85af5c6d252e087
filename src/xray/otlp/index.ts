export { startOtlpReceiver, OTLP_TRACES_PATH } from './receiver.ts';
export type { OtlpReceiver, OtlpReceiverOptions } from './receiver.ts';
export type { OtlpIngestStats } from './handler.ts';
