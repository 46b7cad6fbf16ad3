/**
 * Public API of Parley's tamper-evident audit log domain (pure: no I/O, no
 * Node-only APIs, no clock or randomness; runs in browsers and Node alike).
 * Import from here rather than from the individual files.
 */

export { CanonicalizationError, canonicalize, canonicalBytes } from './canonical.js';

export {
  bytesEqual,
  concatBytes,
  fromBase64,
  fromHex,
  isWellFormedUnicode,
  toBase64,
  toHex,
  utf8Decode,
  utf8Encode,
} from './encoding.js';

export {
  HASH_SIZE,
  MerkleFrontier,
  MerkleTree,
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  rootAt,
  rootFromInclusionProof,
  rootFromLeafHashes,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
  type HashSource,
  type MerkleFrontierJSON,
  type SubtreeHashSource,
} from './merkle.js';

export {
  CheckpointError,
  MAX_NOTE_LENGTH,
  MAX_NOTE_SIGNATURES,
  NoteError,
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  computeKeyId,
  ed25519Verify,
  formatCheckpoint,
  formatSignatureLine,
  formatSignedNote,
  formatSignerKey,
  formatVerifierKey,
  generateSigningKey,
  isValidKeyName,
  keyIdHex,
  parseCheckpoint,
  parseSignatureLine,
  parseSignedNote,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  signNoteText,
  signatureMatchesKey,
  toVerifierKey,
  verifierKeyOf,
  verifyCheckpoint,
  verifyNoteSignature,
  type Checkpoint,
  type CheckpointFailure,
  type CheckpointInput,
  type CheckpointVerification,
  type NoteSignature,
  type SignatureType,
  type SignedNote,
  type SigningKey,
  type VerifierKey,
} from './checkpoint.js';

export {
  COSIGNATURE_V1_LENGTH,
  addCosignature,
  cosign,
  cosignatureMessage,
  generateCosignerKey,
  parseCosignature,
  verifyCosignature,
  verifyCosignedNote,
  type CosignatureFailure,
  type CosignatureOptions,
  type CosignatureVerification,
} from './cosignature.js';

export { MIN_SALT_BYTES, commit, verifyCommitment } from './commitment.js';

export {
  hashLeafValue,
  verifyLog,
  type HashLike,
  type LogCheck,
  type LogCheckName,
  type LogEntryInput,
  type LogProblem,
  type LogVerificationReport,
  type PreviousCheckpoint,
  type VerifyLogInput,
} from './verify.js';

export {
  checkHead,
  checkIncluded,
  verifyAuditLog,
  type AuditLogSource,
  type AuditProblem,
  type AuditVerification,
  type KeyInfo,
  type LogEntryRecord,
  type VerifyOptions,
} from './audit-verifier.js';

export { httpLogSource, type FetchFunction } from './http-source.js';
