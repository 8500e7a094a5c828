// Images for pod containers, by imagePullPolicy (Always, IfNotPresent, Never). Before
// any pull, an image that the host's Docker has is side-loaded into the node: that
// works offline and saves downloading it again. Otherwise the node's dockerd pulls it.
// Concurrent requests for one image share one transfer.
import type Docker from 'dockerode';
import { dockerErrorMessage } from '../docker/errors';
import { copyImage, inspectImage } from '../docker/images';
import { readProgress } from '../docker/streams';
import type { RegistryAuth } from './pullSecrets';

/** ImageError is a failure to provide an image; reason is the container's waiting reason. */
export class ImageError extends Error {
  constructor(
    readonly reason: 'ErrImagePull' | 'ErrImageNeverPull' | 'InvalidImageName',
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

/** ImageResult says how an image came to be on the node, for the Pulled event. */
export interface ImageResult {
  /** present: it was there already; sideloaded: copied from the host's Docker; pulled: from a registry. */
  how: 'present' | 'sideloaded' | 'pulled';
  imageId: string;
  sizeBytes: number;
  durationMs: number;
}

/** ImageEvents receive the Pulling event before a transfer starts. */
export interface ImageEvents {
  pulling(message: string): void;
  /** Stops waiting (the transfer goes on for others); ensure then rejects. */
  signal?: AbortSignal;
  /** Credentials from the pod's imagePullSecrets for the image's registry. */
  auth?: RegistryAuth;
}

const referencePattern = /^[a-z0-9]+(?:[._-]+[a-z0-9]+|:[0-9]+)*(?:\/[a-zA-Z0-9]+(?:[._-]+[a-zA-Z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** isValidImageReference checks the shape of an image reference. */
export function isValidImageReference(ref: string): boolean {
  return ref.length > 0 && ref.length < 512 && referencePattern.test(ref.replace(/^([a-z0-9.-]+(?::\d+)?)\//i, (host) => host.toLowerCase()));
}

/** ImageManager provides the images of pod containers in one node. */
export class ImageManager {
  private readonly transfers = new Map<string, Promise<ImageResult>>();

  constructor(
    private readonly node: Docker,
    private readonly host: Docker,
    private readonly pullTimeoutMs = 10 * 60_000,
  ) {}

  /**
   * ensure makes the image available in the node according to the pull policy. It
   * throws ImageError with the waiting reason and the daemon's message on failure.
   */
  async ensure(ref: string, policy: string | undefined, events: ImageEvents): Promise<ImageResult> {
    if (!isValidImageReference(ref)) {
      throw new ImageError('InvalidImageName', `Failed to apply default image tag "${ref}": couldn't parse image name "${ref}": invalid reference format`);
    }
    const started = Date.now();
    const present = await inspectImage(this.node, ref);
    if (policy === 'Never') {
      if (present) return { how: 'present', imageId: present.Id, sizeBytes: present.Size, durationMs: 0 };
      throw new ImageError('ErrImageNeverPull', `Container image "${ref}" is not present with pull policy of Never`);
    }
    if (present && policy !== 'Always') {
      return { how: 'present', imageId: present.Id, sizeBytes: present.Size, durationMs: 0 };
    }
    events.pulling(`Pulling image "${ref}"`);
    // Pulls with different credentials are not shared: one pod's Secret must not
    // lend its access to another pod's pull.
    const key = `${ref}\n${events.auth?.serveraddress ?? ''}\n${events.auth?.username ?? ''}`;
    let transfer = this.transfers.get(key);
    if (!transfer) {
      transfer = this.transfer(ref, present?.Id, events.auth).finally(() => this.transfers.delete(key));
      this.transfers.set(key, transfer);
    }
    const result = await waitUnlessAborted(transfer, events.signal);
    return { ...result, durationMs: Date.now() - started };
  }

  private async transfer(ref: string, presentId: string | undefined, auth: RegistryAuth | undefined): Promise<ImageResult> {
    const started = Date.now();
    const onHost = await inspectImage(this.host, ref).catch(() => undefined);
    if (onHost) {
      if (onHost.Id !== presentId) {
        try {
          await copyImage(this.host, this.node, ref);
        } catch (err) {
          throw new ImageError('ErrImagePull', `could not copy the image from the host's Docker: ${dockerErrorMessage(err)}`);
        }
      }
      return { how: 'sideloaded', imageId: onHost.Id, sizeBytes: onHost.Size, durationMs: Date.now() - started };
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.pullTimeoutMs);
    try {
      const stream = (await this.node.pull(ref, { abortSignal: abort.signal, ...(auth ? { authconfig: auth } : {}) })) as NodeJS.ReadableStream;
      await readProgress(stream);
    } catch (err) {
      const message = abort.signal.aborted
        ? `the pull did not finish within ${Math.round(this.pullTimeoutMs / 60_000)} minutes`
        : dockerErrorMessage(err);
      throw new ImageError('ErrImagePull', message);
    } finally {
      clearTimeout(timer);
    }
    const pulled = await inspectImage(this.node, ref);
    if (!pulled) throw new ImageError('ErrImagePull', `the node's Docker reported no error but has no image ${ref}`);
    return { how: 'pulled', imageId: pulled.Id, sizeBytes: pulled.Size, durationMs: Date.now() - started };
  }
}

/** pulledMessage is the text of the Pulled event. */
export function pulledMessage(ref: string, result: ImageResult): string {
  if (result.how === 'present') return `Container image "${ref}" already present on machine`;
  const seconds = `${(result.durationMs / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
  const how = result.how === 'sideloaded' ? ", side-loaded from the host's Docker" : '';
  return `Successfully pulled image "${ref}" in ${seconds}${how}. Image size: ${result.sizeBytes} bytes.`;
}

function waitUnlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new Error('stopped waiting for the image'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped waiting for the image'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
