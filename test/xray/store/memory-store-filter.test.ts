import { MemoryTraceStore } from '../../../src/xray/store/memory-store.ts';
import { registerFilterConformance } from './filter-conformance.ts';

registerFilterConformance('MemoryTraceStore', () => new MemoryTraceStore({ nowSeconds: () => 1_700_050_000 }));
