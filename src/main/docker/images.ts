// Image helpers on top of dockerode: inspect, import a root file system from a tar
// stream, and copy an image from one Docker Engine to another (side-loading).
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { readProgress } from './streams';

/** inspectImage returns the image's details, or undefined when the engine lacks it. */
export async function inspectImage(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** splitImageRef splits "repo:tag" (the registry port is not a tag) into its parts. */
export function splitImageRef(ref: string): { repo: string; tag: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: 'latest' };
}

/** ImportOptions describes the image docker import makes from a root file system. */
export interface ImportOptions {
  /** Dockerfile instructions applied to the image: ENTRYPOINT, ENV, LABEL, CMD, ... */
  changes?: string[];
  message?: string;
}

/**
 * importRootfs makes image `ref` from a tar stream of a root file system (what
 * `docker import` does) and returns the new image id.
 */
export async function importRootfs(
  docker: Docker,
  ref: string,
  rootfs: Readable,
  options: ImportOptions = {},
): Promise<string> {
  const { repo, tag } = splitImageRef(ref);
  const query: Record<string, unknown> = { repo, tag, changes: options.changes };
  if (options.message) query.message = options.message;
  const stream = await docker.importImage(rootfs, query);
  const events = await readProgress(stream);
  const image = await inspectImage(docker, ref);
  if (!image) {
    const said = events
      .map((e) => e.status ?? e.stream ?? '')
      .filter(Boolean)
      .pop();
    throw new Error(`Docker did not create the image ${ref}${said ? `: ${said}` : ''}.`);
  }
  return image.Id;
}

/**
 * copyImage streams image `ref` from one Docker Engine into another, like
 * `docker save ref | docker load`, without the docker CLI and without a temp file.
 */
export async function copyImage(from: Docker, to: Docker, ref: string): Promise<void> {
  const saved = (await from.getImage(ref).get()) as unknown as Readable;
  const loaded = (await to.loadImage(saved as unknown as string, { quiet: true })) as unknown as NodeJS.ReadableStream;
  await readProgress(loaded);
}
