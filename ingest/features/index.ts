/**
 * Per-packet features: traffic class and fingerprint rules.
 *
 * The hot functions are re-exported as const bindings rather than `export { } from`:
 * measured under tsx (CommonJS transpile), calls through a re-exported function
 * declaration ran ~5x slower than through a const binding.
 */
import { classify as classifyImpl } from './classify';
import { fingerprintMask as fingerprintMaskImpl } from './fingerprints';

export {
  CLASS_BACKSCATTER,
  CLASS_NAMES,
  CLASS_OTHER,
  CLASS_SCAN,
  ICMP4_CLASS,
  ICMP6_CLASS,
  type PacketClass,
} from './classify';
export {
  FINGERPRINT_RULES,
  type FingerprintRule,
  fingerprintNames,
  isBareSyn,
} from './fingerprints';

export const classify: typeof classifyImpl = classifyImpl;
export const fingerprintMask: typeof fingerprintMaskImpl = fingerprintMaskImpl;
