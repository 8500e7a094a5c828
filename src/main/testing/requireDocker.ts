// Integration tests that need Docker call this first. Without Docker they skip with a
// printed reason; with CI set, a missing Docker is a failure, never a silent skip.
import Docker from 'dockerode';

/** dockerAnswers tells whether the host Docker Engine answers a ping. */
export async function dockerAnswers(): Promise<boolean> {
  try {
    await new Docker().ping();
    return true;
  } catch {
    return false;
  }
}

/**
 * requireDocker resolves to true when the test may run. In CI it throws when Docker
 * is missing; elsewhere it prints why the tests are skipped and resolves to false.
 */
export async function requireDocker(suite: string): Promise<boolean> {
  if (await dockerAnswers()) return true;
  const reason = `${suite}: Docker Engine is not reachable (run scripts/install-docker.sh).`;
  if (process.env.CI) throw new Error(`${reason} CI is set, so this is a failure, not a skip.`);
  console.warn(`SKIPPED ${reason}`);
  return false;
}
