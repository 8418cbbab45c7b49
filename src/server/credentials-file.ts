/**
 * The AWS shared-credentials file text of one profile (`~/.aws/credentials` format), as the first start, `init`
 * and `strongroom accounts create` write it (mode 0600, through `writePrivateFile`).
 *
 * @example
 *   credentialsFileText('default', 'AKIA...', secret, 'us-east-1');
 */
export function credentialsFileText(profile: string, accessKeyId: string, secret: string, region: string): string {
  return `[${profile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secret}\nregion = ${region}\n`;
}
