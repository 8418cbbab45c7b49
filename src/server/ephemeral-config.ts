/** The `serve` flags an ephemeral server refuses: they name something on disk, or more processes. */
interface DiskFlags {
  readonly 'data-dir'?: string;
  readonly workers?: string;
  readonly 'audit-retention-days'?: string;
  readonly 'audit-archive-dir'?: string;
  readonly 'audit-journal-file-size'?: string;
}

const DISK_FLAGS = ['data-dir', 'audit-retention-days', 'audit-archive-dir', 'audit-journal-file-size'] as const;

/** What `--ephemeral` decides of the server configuration (config.ts's `ServerConfig`, which imports this file). */
interface EphemeralFields {
  readonly ephemeral: boolean;
  readonly dev: boolean;
  readonly workers: number;
  readonly audit: { readonly stream?: string } | undefined;
  readonly tls: { readonly source: string } | undefined;
}

/**
 * `serve --ephemeral` (`STRONGROOM_EPHEMERAL=1`): what a test suite that starts a server per file needs, and
 * nothing it has to clean up. Everything lives in memory (store, root key, audit trail), nothing is written, and it
 * gives up durability by design: what it held is gone when it stops.
 *
 * - One process: workers share state through the data directory, which there is none of.
 * - Development mode, always: no credentials file is written, so `test`/`test` (root of the development account)
 *   is how a client gets in; the server is still SigV4-verified and authorized as usual (development-mode.md).
 * - A flag that names something on disk (`--data-dir`, `--tls-self-signed`, the audit files' flags, `--workers`
 *   above 1) is refused rather than silently ignored; their environment variables are ignored, so that a shell
 *   that exports `STRONGROOM_DATA_DIR` can still start an ephemeral server. `STRONGROOM_TLS_SELF_SIGNED=1` is
 *   refused too: it asks for a certificate written into the data directory.
 *   `--audit-stream FILE|-` is kept: it writes only where it is told to.
 */
export function ephemeralConfig<Config extends EphemeralFields>(config: Config, flags: DiskFlags): Config {
  for (const flag of DISK_FLAGS) {
    if (flags[flag] !== undefined) throw new Error(`--${flag} cannot be combined with --ephemeral, which keeps everything in memory`);
  }
  if (flags.workers !== undefined && Number(flags.workers) !== 1) {
    throw new Error('--workers cannot be combined with --ephemeral, which serves from one process');
  }
  if (config.tls?.source === 'self-signed') {
    throw new Error('--tls-self-signed cannot be combined with --ephemeral (it writes into a data directory); use --tls-cert and --tls-key');
  }
  const stream = config.audit?.stream;
  return {
    ...config,
    ephemeral: true,
    dev: true,
    workers: 1,
    audit: config.audit && (stream !== undefined ? { stream } : {}),
  };
}
