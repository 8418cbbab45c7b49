/**
 * The server's log: one line per event on stderr. Callers pass only non-secret fields (ids, names, counts, error
 * types); no request body, plaintext, key material or credential ever reaches it.
 */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/**
 * `json` (the default): one JSON object per line, `{"time","level","event",...fields}`, for log shippers.
 * `text`: one line a person reads, `2026-12-02T21:00:00.000Z INFO server-stopping signal=SIGTERM pid=123`.
 */
export type LogFormat = 'json' | 'text';

export const LOG_FORMATS: readonly LogFormat[] = ['json', 'text'];

export interface LogOptions {
  readonly format?: LogFormat;
}

type Level = 'info' | 'warn' | 'error';

/**
 * A logger writing to `write` (stderr by default) in `options.format`. A line logged for a request names it
 * (`requestId`) among its fields.
 *
 * @example
 *   const log = createLogger(undefined, { format: 'text' });
 *   log.info('server-stopping', { signal: 'SIGTERM', pid: process.pid });
 */
export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line), options: LogOptions = {}): Logger {
  const format = options.format === 'text' ? textLine : jsonLine;
  const emit = (level: Level, event: string, fields: Record<string, unknown> = {}) => {
    write(format(new Date().toISOString(), level, event, fields));
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

function jsonLine(time: string, level: Level, event: string, fields: Record<string, unknown>): string {
  return `${JSON.stringify({ time, level, event, ...fields })}\n`;
}

/**
 * `time LEVEL event name=value ...`: a value that is a bare word stays bare; any other (spaces, quotes, a stack
 * trace's newlines, an object) is written as JSON, so that one event is always one line.
 */
function textLine(time: string, level: Level, event: string, fields: Record<string, unknown>): string {
  const parts = [time, level.toUpperCase(), event];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(`${name}=${textValue(value)}`);
  }
  return `${parts.join(' ')}\n`;
}

function textValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && /^[\w.:/@+-]+$/.test(value)) return value;
  return JSON.stringify(value) ?? String(value);
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
