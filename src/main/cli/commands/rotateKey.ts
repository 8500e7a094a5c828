// `wheelhouse cluster rotate-key NAME`: replace the key that encrypts a cluster's
// Secrets at rest, through the running engine's gateway.
import { appRoutes } from '../../../shared/gateway';
import type { Command } from '../command';
import { dataDirFlag, dataDirOf, requirePositional } from '../commonFlags';
import { connectGateway } from '../gatewayClient';

/** rotateKeyRoute is the app API route that rotates a cluster's encryption key (POST). */
export function rotateKeyRoute(cluster: string): string {
  return `${appRoutes.cluster(cluster)}/rotate-key`;
}

/** RotateKeyAnswer is what POST rotateKeyRoute answers. */
export interface RotateKeyAnswer {
  keyId: string;
  reencrypted: number;
  droppedKeys: string[];
  compactedTo: number;
}

/** rotateKeyCommand is `wheelhouse cluster rotate-key NAME`. */
export const rotateKeyCommand: Command = {
  path: ['cluster', 'rotate-key'],
  args: 'NAME',
  summary: "Replace the key that encrypts a cluster's Secrets at rest.",
  details:
    'A new key is made, every Secret is re-encrypted with it, the store history is compacted and the old key\n' +
    'is dropped from DATA_DIR/clusters/NAME/secrets.key. Snapshots taken before the rotation need the old key\n' +
    'file: back it up with them if you may restore them.',
  flags: dataDirFlag,
  async run(args) {
    const name = requirePositional(args, 0, 'the cluster NAME');
    const gateway = await connectGateway(dataDirOf(args));
    const answer = await gateway.request<RotateKeyAnswer>('POST', rotateKeyRoute(name));
    const dropped = answer.droppedKeys.length > 0 ? `; dropped ${answer.droppedKeys.join(', ')}` : '';
    process.stdout.write(
      `Cluster "${name}" now encrypts Secrets with key ${answer.keyId}: ${answer.reencrypted} Secret${answer.reencrypted === 1 ? '' : 's'} re-encrypted${dropped}.\n`,
    );
    return 0;
  },
};
