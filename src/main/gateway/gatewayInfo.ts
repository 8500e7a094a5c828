// The gateway's address file: how the CLI finds a running engine. It holds the
// per-launch secret, so it is written with mode 0600 and replaced atomically.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayInfo } from '../../shared/gateway';

/** gatewayInfoFile is the path of the address file inside a data dir. */
export function gatewayInfoFile(dataDir: string): string {
  return join(dataDir, 'gateway.json');
}

/** writeGatewayInfo writes the address file with mode 0600. */
export function writeGatewayInfo(dataDir: string, info: GatewayInfo): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = gatewayInfoFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/** readGatewayInfo reads the address file, or returns undefined when there is none. */
export function readGatewayInfo(dataDir: string): GatewayInfo | undefined {
  try {
    return JSON.parse(readFileSync(gatewayInfoFile(dataDir), 'utf8')) as GatewayInfo;
  } catch {
    return undefined;
  }
}

/** removeGatewayInfo deletes the address file if it still belongs to this process. */
export function removeGatewayInfo(dataDir: string, pid = process.pid): void {
  const info = readGatewayInfo(dataDir);
  if (info && info.pid === pid) rmSync(gatewayInfoFile(dataDir), { force: true });
}
