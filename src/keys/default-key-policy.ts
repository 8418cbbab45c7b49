/**
 * The key policy AWS KMS writes when CreateKey is given none: it delegates the key to the account, so that
 * IAM (identity) policies decide who may use it. Formatted exactly as AWS's GetKeyPolicy returns it.
 */
export function defaultKeyPolicy(accountId: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${accountId}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;
}
