// `wheelhouse serve` and `wheelhouse open`: browser mode.
import type { Command } from '../command';
import { dataDirFlag, dataDirOf, openInBrowser } from '../commonFlags';
import { connectGateway } from '../gatewayClient';
import { appRoutes } from '../../../shared/gateway';
import { appVersion } from '../../../shared/version';
import { UsageError } from '../args';
import { createEngine } from '../../engine';
import { rendererDir } from '../../paths';

/** serveCommand runs the engine headless and serves the UI to a browser. */
export const serveCommand: Command = {
  path: ['serve'],
  summary: 'Run the Wheelhouse engine without the desktop window and serve the UI to your browser.',
  details:
    'Prints a link with a one-time token. Opening it signs the browser in with a session cookie.\n' +
    'Stop with Ctrl+C: clusters and their pods keep running and are picked up again on the next start.',
  flags: {
    ...dataDirFlag,
    port: { type: 'string', value: 'PORT', description: 'Port on 127.0.0.1 for the UI and API (default: a free port).' },
    open: { type: 'boolean', description: 'Open the link in your default browser.' },
  },
  async run(args) {
    const port = args.flags.port === undefined ? 0 : Number(args.flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a number from 0 to 65535.');
    const dataDir = dataDirOf(args);
    const engine = await createEngine({ dataDir, host: 'serve', port, rendererDir: rendererDir() });
    await engine.start();
    const url = engine.gateway.loginUrl();
    process.stdout.write(
      `Wheelhouse ${appVersion} is running in browser mode.\n` +
        `Open this link in your browser (it works once; \`wheelhouse open\` makes a new one):\n\n  ${url}\n\n` +
        `Data dir: ${dataDir}\nPress Ctrl+C to stop. Clusters keep running.\n`,
    );
    if (args.flags.open && !(await openInBrowser(url))) {
      process.stdout.write('Could not open a browser here; open the link above yourself.\n');
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    process.stdout.write('Stopping Wheelhouse...\n');
    await engine.stop();
    return 0;
  },
};

/** openCommand opens the UI of the running engine in a browser. */
export const openCommand: Command = {
  path: ['open'],
  summary: 'Open the Wheelhouse UI of the running engine in your default browser.',
  flags: {
    ...dataDirFlag,
    print: { type: 'boolean', description: 'Print the one-time link instead of opening a browser.' },
  },
  async run(args) {
    const gateway = await connectGateway(dataDirOf(args));
    const { url } = await gateway.request<{ url: string }>('POST', appRoutes.loginUrl);
    if (args.flags.print) {
      process.stdout.write(url + '\n');
      return 0;
    }
    if (await openInBrowser(url)) {
      process.stdout.write('Opened Wheelhouse in your browser.\n');
      return 0;
    }
    process.stdout.write(`Could not start a browser here. Open this link yourself (it works once):\n  ${url}\n`);
    return 0;
  },
};
