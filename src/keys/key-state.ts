import {
  DisabledException,
  KMSInvalidStateException,
  KeyUnavailableException,
  type KmsError,
} from '../errors.js';

export type KeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

/**
 * How an operation treats key states, after AWS's "Key states of KMS keys" table:
 * - `use`: cryptographic operations, only an `Enabled` key;
 * - `rotate`: rotation settings and on-demand rotation, refused for disabled and deleted keys;
 * - `manage`: changes to a key (description, tags, aliases), refused while pending deletion;
 * - `toggle`: EnableKey and DisableKey, refused also while the key has no material (`PendingImport`);
 * - `any`: reads and the deletion operations, which judge the state themselves.
 */
export type KeyStateRule = 'use' | 'rotate' | 'manage' | 'toggle' | 'any';

type Refusal = (arn: string) => KmsError;

const pendingDeletion: Refusal = (arn) => new KMSInvalidStateException(`${arn} is pending deletion.`);
const pendingImport: Refusal = (arn) => new KMSInvalidStateException(`${arn} is pending import.`);
const disabled: Refusal = (arn) => new DisabledException(`${arn} is disabled.`);
const unavailable: Refusal = (arn) => new KeyUnavailableException(`${arn} is unavailable.`);
const unavailableToToggle: Refusal = (arn) => new KMSInvalidStateException(`${arn} is unavailable.`);
const transitional: Refusal = (arn) => new KMSInvalidStateException(`${arn} is not in a valid state for this operation.`);

/** For each rule, the states it refuses and the error each gives. States not listed are allowed. */
const REFUSALS: Readonly<Record<KeyStateRule, Partial<Record<KeyState, Refusal>>>> = Object.freeze({
  use: {
    Creating: transitional,
    Updating: transitional,
    Disabled: disabled,
    PendingDeletion: pendingDeletion,
    PendingReplicaDeletion: pendingDeletion,
    PendingImport: pendingImport,
    Unavailable: unavailable,
  },
  rotate: {
    Creating: transitional,
    Updating: transitional,
    Disabled: disabled,
    PendingDeletion: pendingDeletion,
    PendingReplicaDeletion: pendingDeletion,
    PendingImport: pendingImport,
    Unavailable: unavailable,
  },
  manage: {
    Creating: transitional,
    PendingDeletion: pendingDeletion,
    PendingReplicaDeletion: pendingDeletion,
  },
  toggle: {
    Creating: transitional,
    PendingDeletion: pendingDeletion,
    PendingReplicaDeletion: pendingDeletion,
    PendingImport: pendingImport,
    // A key in a disconnected custom key store: its stored state cannot change until the store is connected.
    Unavailable: unavailableToToggle,
  },
  any: {},
});

/** Throws the AWS exception for a key whose state the rule refuses. */
export function assertKeyState(arn: string, state: KeyState, rule: KeyStateRule): void {
  const refuse = REFUSALS[rule][state];
  if (refuse) throw refuse(arn);
}
