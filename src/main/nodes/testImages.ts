// Tiny images for tests, built locally because no registry is reachable on build
// machines: wh-test/busybox:1 is this machine's static busybox and nothing else
// (a shell, nc, httpd, ...); a kubectl image adds a static kubectl binary to that,
// for pods that talk to the API. Also a helper that runs a container to completion.
import { readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { importRootfs, inspectImage } from '../docker/images';
import { collectDemuxed } from '../docker/streams';
import { tarStream } from '../docker/tar';
import { addBusybox, canInstallWithApt, findProgram, installWithApt, RootfsBuilder } from './hostRootfs';

/** testBusyboxImage is the busybox image integration tests share. */
export const testBusyboxImage = 'wh-test/busybox:1';

/** testPageText is what /www/index.html of the busybox image says (for httpd tests). */
export const testPageText = 'hello from a wheelhouse test pod';

/**
 * ensureBusyboxImage builds the busybox test image on the given Docker unless it is
 * there already, and returns its reference. It installs busybox-static with apt-get
 * when busybox is missing and the process may do so.
 */
export async function ensureBusyboxImage(docker: Docker, ref: string = testBusyboxImage): Promise<string> {
  if (await inspectImage(docker, ref)) return ref;
  await importRootfs(docker, ref, tarStream((await busyboxRootfs()).toEntries()), {
    message: 'busybox for Wheelhouse tests',
    changes: ['ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["sh"]'],
  });
  return ref;
}

/**
 * ensureKubectlImage builds an image with busybox and the static kubectl binary at
 * kubectlBinary (as /usr/local/bin/kubectl) under ref, unless it is there already.
 */
export async function ensureKubectlImage(docker: Docker, ref: string, kubectlBinary: string): Promise<string> {
  if (await inspectImage(docker, ref)) return ref;
  const builder = await busyboxRootfs();
  builder.addFile('usr/local/bin/kubectl', await readFile(kubectlBinary), 0o755);
  await importRootfs(docker, ref, tarStream(builder.toEntries()), {
    message: 'busybox and kubectl for Wheelhouse tests',
    changes: ['ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["sh"]'],
  });
  return ref;
}

/** busyboxRootfs is the file tree of the busybox test image. */
async function busyboxRootfs(): Promise<RootfsBuilder> {
  let busybox = await findProgram('busybox');
  if (!busybox && (await canInstallWithApt())) {
    await installWithApt(['busybox-static']);
    busybox = await findProgram('busybox');
  }
  if (!busybox) throw new Error('busybox is not installed; install it (Debian: sudo apt-get install busybox-static).');
  const builder = new RootfsBuilder();
  await addBusybox(builder, busybox, ['usr/sbin', 'usr/bin', 'sbin', 'bin']);
  builder.addFile('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  builder.addFile('etc/group', 'root:x:0:\nnogroup:x:65534:\n');
  builder.addFile('www/index.html', `${testPageText}\n`);
  for (const dir of ['proc', 'sys', 'dev', 'root', 'etc']) builder.addDir(dir);
  builder.addDir('tmp', 0o1777);
  return builder;
}

/** RunResult is how a container run by runToCompletion ended. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * runToCompletion creates a container, starts it, waits for it to exit, collects its
 * output and removes it.
 */
export async function runToCompletion(
  docker: Docker,
  options: {
    image: string;
    cmd: string[];
    entrypoint?: string[];
    name?: string;
    labels?: Record<string, string>;
    timeoutMs?: number;
  },
): Promise<RunResult> {
  const container = await docker.createContainer({
    name: options.name,
    Image: options.image,
    Cmd: options.cmd,
    Entrypoint: options.entrypoint,
    Labels: options.labels,
    Tty: false,
  });
  try {
    await container.start();
    const waited = container.wait() as Promise<{ StatusCode: number }>;
    const timeoutMs = options.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      waited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`The container did not exit within ${timeoutMs / 1000} s.`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const logs = (await container.logs({
      stdout: true,
      stderr: true,
      follow: true,
    })) as unknown as NodeJS.ReadableStream;
    const output = await collectDemuxed(logs);
    return { exitCode: result.StatusCode, ...output };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
