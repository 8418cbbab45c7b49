/**
 * The key policy AWS KMS attaches when CreateKey has no Policy: one statement giving the account (its root
 * principal) every kms: permission, which also enables IAM policies for the key. The text is byte for byte
 * what GetKeyPolicy returns for such a key: AWS's pretty printer puts spaces around colons and opens the
 * Statement array on the same line (`"Statement" : [ {`).
 *
 * @example
 *   defaultKeyPolicy('111122223333') // '{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1", ...'
 */
export function defaultKeyPolicy(accountId: string, partition = 'aws'): string {
  return [
    '{',
    '  "Version" : "2012-10-17",',
    '  "Id" : "key-default-1",',
    '  "Statement" : [ {',
    '    "Sid" : "Enable IAM User Permissions",',
    '    "Effect" : "Allow",',
    '    "Principal" : {',
    `      "AWS" : "arn:${partition}:iam::${accountId}:root"`,
    '    },',
    '    "Action" : "kms:*",',
    '    "Resource" : "*"',
    '  } ]',
    '}',
  ].join('\n');
}
