import { existsSync } from 'node:fs';
import { runProgram, type CommandResult } from '../support/cluster.js';

/**
 * The real AWS CLI for the cluster tests: `$AWS_CLI`, else Debian's `/usr/bin/aws`. When there is none the
 * tests skip with a message — unless the run requires the multi-node suite (`CI=true` or
 * `STRONGROOM_REQUIRE_POSTGRES=1`, as `.ci/run` sets), when this throws so the run fails.
 *
 * @example
 *   const cli = findAwsCli();
 *   test('...', { skip: cli.skip }, async () => { await runAwsCli(cli.path!, ...) });
 */
export function findAwsCli(): { path: string; skip: false } | { path: undefined; skip: string } {
  const path = process.env['AWS_CLI'] || '/usr/bin/aws';
  if (existsSync(path)) return { path, skip: false };
  const message = `the AWS CLI is not installed (${path}; apt-get install -y awscli, or set AWS_CLI)`;
  if (process.env['STRONGROOM_REQUIRE_POSTGRES'] === '1' || process.env['CI'] === 'true') {
    throw new Error(`${message}, and this run requires the multi-node tests (STRONGROOM_REQUIRE_POSTGRES=1 or CI=true)`);
  }
  return { path: undefined, skip: message };
}

/** Where the CLI finds its credentials: a shared-credentials file and a profile in it. */
export interface CliProfile {
  readonly credentialsFile: string;
  readonly profile?: string;
}

/**
 * Runs `aws --endpoint-url ENDPOINT --output json ...args` with only `profile`'s credentials file configured
 * (no config file, no credentials from the environment) and us-east-1 as the region (CLI v1 needs one).
 *
 * @example
 *   const result = await runAwsCli(cli.path, node.endpoint, { credentialsFile }, ['kms', 'list-keys']);
 */
export async function runAwsCli(cli: string, endpoint: string, profile: CliProfile, args: readonly string[]): Promise<CommandResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DATA_PATH']) {
    delete env[name];
  }
  Object.assign(env, {
    AWS_SHARED_CREDENTIALS_FILE: profile.credentialsFile,
    AWS_CONFIG_FILE: '/nonexistent/strongroom-aws-config',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    ...(profile.profile !== undefined ? { AWS_PROFILE: profile.profile } : {}),
  });
  return runProgram(cli, ['--endpoint-url', endpoint, '--output', 'json', ...args], env);
}

/**
 * The error code the CLI printed ("An error occurred (DisabledException) when calling ..."); '' on success.
 *
 * @example
 *   assert.equal(cliErrorCode(await runAwsCli(...encrypt on a disabled key...)), 'DisabledException');
 */
export function cliErrorCode(result: CommandResult): string {
  if (result.status === 0) return '';
  return /An error occurred \(([A-Za-z]+)\)/.exec(result.stderr)?.[1] ?? `exit ${result.status}: ${result.stderr.trim()}`;
}

/**
 * The JSON a successful CLI call printed; throws with its stderr otherwise.
 *
 * @example
 *   const { KeyMetadata } = cliJson(await runAwsCli(cli.path, endpoint, profile, ['kms', 'create-key']));
 */
export function cliJson(result: CommandResult): Record<string, unknown> {
  if (result.status !== 0) throw new Error(`aws exited with ${result.status}: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}
