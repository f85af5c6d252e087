import { MemoryGroupStorage } from '../../../src/xray/groups/index.ts';
import { registerGroupStorageConformance } from './conformance.ts';

registerGroupStorageConformance('MemoryGroupStorage', () => new MemoryGroupStorage());
