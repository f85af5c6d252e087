/** The signer's SHA-256 for tests that sign requests: the one the gateway signs with. */
export { Sha256 } from '../../src/common/sha256.ts';
