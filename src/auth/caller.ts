import type { PrincipalType } from '../store/store.js';

/** The authenticated principal behind a request. */
export interface Caller {
  readonly accountId: string;
  /** `arn:aws:iam::<account>:root`, `...:user/<name>`, or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  /** AWS's `UserId`: the account id for root, `AIDA...` for users, `AROA...:<session>` for assumed roles. */
  readonly principalId: string;
  readonly type: PrincipalType;
  readonly accessKeyId: string;
  readonly userName?: string;
}
