// The Kubernetes version this API server presents at /version and in OpenAPI.
import { appVersion } from '../../../shared/version';

/** kubernetesMinor is the Kubernetes minor version the API follows. */
export const kubernetesMinor = 31;

/** kubernetesGitVersion is the version string clients print, e.g. v1.31.0+wheelhouse.0.1.0. */
export const kubernetesGitVersion = `v1.${kubernetesMinor}.0+wheelhouse.${appVersion}`;

/** versionInfo is the body of GET /version (version.Info). */
export function versionInfo(): Record<string, string> {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return {
    major: '1',
    minor: String(kubernetesMinor),
    gitVersion: kubernetesGitVersion,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'gc',
    platform: `${process.platform}/${arch}`,
  };
}
