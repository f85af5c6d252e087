import { MemoryTraceStore } from '../../../src/xray/store/memory-store.ts';
import { registerStoreConformance } from './conformance.ts';

registerStoreConformance('MemoryTraceStore', ({ now }) => new MemoryTraceStore({ now }));
