// The Status objects written on the error channel when a remote command ends. kubectl
// reads the exit code from the NonZeroExitCode cause and exits with it.

/** ExitStatus is the body written on the error channel (a metav1.Status without kind). */
export interface ExitStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message: string }[] };
  code?: number;
}

/** successStatus is the status of a command that exited 0. */
export function successStatus(): ExitStatus {
  return { metadata: {}, status: 'Success' };
}

/** exitCodeStatus reports a non-zero exit code in the form kubectl turns into its own exit code. */
export function exitCodeStatus(exitCode: number, command: string[]): ExitStatus {
  const what =
    command.length > 0
      ? `error executing command [${command.join(' ')}], exit code ${exitCode}`
      : `exit code ${exitCode}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${what}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** errorStatus reports a failure that is not an exit code, such as a command that could not start. */
export function errorStatus(message: string): ExitStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

/** statusForResult turns a backend's result into the status the client receives. */
export function statusForResult(result: { exitCode: number } | { error: string }, command: string[]): ExitStatus {
  if ('error' in result) return errorStatus(result.error);
  return result.exitCode === 0 ? successStatus() : exitCodeStatus(result.exitCode, command);
}
