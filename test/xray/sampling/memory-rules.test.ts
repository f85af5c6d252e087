import { MemorySamplingRuleStorage } from '../../../src/xray/sampling/index.ts';
import { registerSamplingRuleStorageConformance } from './conformance.ts';

registerSamplingRuleStorageConformance('MemorySamplingRuleStorage', () => new MemorySamplingRuleStorage());
