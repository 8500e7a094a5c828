// A small structured logger with child loggers per component. Logs go to stderr so
// that CLI output on stdout stays clean for people and scripts.

/** LogLevel orders log lines by importance. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const wanted = (process.env.WHEELHOUSE_LOG ?? 'info') as LogLevel;
  return order[wanted] ?? order.info;
}

/** Logger writes one line per event, tagged with its component. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

/** createLogger makes a logger for one component. */
export function createLogger(component: string): Logger {
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (order[level] < threshold()) return;
    const extra = fields
      ? ' ' +
        Object.entries(fields)
          .map(([k, v]) => `${k}=${v instanceof Error ? JSON.stringify(v.message) : JSON.stringify(v)}`)
          .join(' ')
      : '';
    process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} [${component}] ${message}${extra}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (name) => createLogger(`${component}/${name}`),
  };
}
