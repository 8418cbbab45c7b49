import { isIPv4 } from 'node:net';

/** What `--dev-any-credentials` is checked against (config.ts's `ServerConfig`, which imports this file). */
interface AnyCredentialsFields {
  readonly host: string;
  readonly dev: boolean;
  readonly devAnyCredentials?: boolean;
}

/**
 * Refuses `--dev-any-credentials` (`STRONGROOM_DEV_ANY_CREDENTIALS=1`) where it would let the network in: it
 * accepts requests without checking their signatures, so it needs development mode (`--dev`, or `--ephemeral`,
 * which implies it) and an address only this machine reaches — `127.0.0.0/8`, `::1` or `localhost`. A server on
 * `0.0.0.0` or a LAN address would give anyone who can reach it every development account's root.
 *
 * @example
 *   checkDevAnyCredentials({ host: '0.0.0.0', dev: true, devAnyCredentials: true }); // throws, saying why
 */
export function checkDevAnyCredentials<Config extends AnyCredentialsFields>(config: Config): Config {
  if (config.devAnyCredentials !== true) return config;
  if (!config.dev) {
    throw new Error('--dev-any-credentials needs development mode (--dev, or --ephemeral): it accepts unsigned requests');
  }
  if (!isLoopbackHost(config.host)) {
    throw new Error(
      `--dev-any-credentials accepts requests without checking their signatures, so it serves only a loopback address ` +
        `(127.0.0.1, ::1, localhost), not --host ${config.host}`,
    );
  }
  return config;
}

/** `localhost`, `::1` (also written `[::1]`) or an IPv4 address in `127.0.0.0/8`. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name === '::1' || name === '[::1]') return true;
  return isIPv4(name) && name.startsWith('127.');
}
