import { MemoryTraceStore } from '../../../src/xray/store/memory-store.ts';
import { registerStoreConformance } from './conformance.ts';

registerStoreConformance('MemoryTraceStore', (options) => new MemoryTraceStore(options));
