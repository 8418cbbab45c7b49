/**
 * The usage of `encrypt-file` and `decrypt-file`, in a module of its own: the CLI's help imports it at start-up,
 * while the commands (and the Encryption SDK with the AWS SDK behind them, a third of a second and 30 MB to load)
 * are imported only when one of them runs, so that `serve` and every other command start without them.
 */
export const FILE_ENCRYPTION_USAGE = `  encrypt-file  Encrypt IN to OUT in the AWS Encryption SDK's message format (docs/file-encryption.md).
          strongroom encrypt-file --key-id KEY [--key-id KEY ...] [--context K=V ...] IN OUT
  decrypt-file  Decrypt an AWS Encryption SDK message (from this command, the AWS Encryption CLI or an SDK).
          strongroom decrypt-file [--key-id KEY ...] [--context K=V ...] IN OUT
          IN, OUT                '-' for standard input / output; OUT appears only once complete
          --key-id KEY           key id, key ARN, alias name or alias ARN (repeatable). encrypt-file: the first
                                 generates the data key, each other one wraps it too. decrypt-file: only these
                                 keys may decrypt it (without --key-id: whichever key the message names)
          --context K=V          encryption context (repeatable); decrypt-file: pairs the message must have
          --endpoint-url URL     KMS endpoint (default AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL, the profile's)
          --region REGION        (default AWS_REGION, the profile's region)
          --profile NAME         credentials and config profile (default AWS_PROFILE); credentials otherwise
                                 from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the SDK's default chain
`;
