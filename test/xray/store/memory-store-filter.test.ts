import { MemoryTraceStore } from '../../../src/xray/store/memory-store.ts';
import { registerFilterConformance } from './filter-conformance.ts';

registerFilterConformance('MemoryTraceStore', () => new MemoryTraceStore({ now: () => 1_700_050_000 }));
