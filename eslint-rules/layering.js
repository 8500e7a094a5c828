// House rule: keep the layering honest.
//   src/shared   imports nothing of ours, and no node:, electron or react.
//   src/renderer imports only src/shared (plus npm packages for the browser).
//   src/preload  imports only src/shared and electron.
//   src/main     imports only src/shared and node; only src/main/electron/ and the
//                Electron entry (src/main/index.ts) may import electron.
import path from 'node:path';

const nodeBuiltin = (spec) => spec.startsWith('node:') || ['fs', 'path', 'os', 'http', 'https', 'net', 'crypto', 'child_process', 'events', 'stream', 'url', 'util', 'zlib', 'tls', 'dns'].includes(spec);

function layerOf(file) {
  const rel = file.split(path.sep).join('/');
  const m = /(?:^|\/)src\/(shared|renderer|preload|main)\//.exec(rel);
  return m ? m[1] : undefined;
}

function isElectronShell(file) {
  const rel = file.split(path.sep).join('/');
  return /src\/main\/electron\//.test(rel) || /src\/main\/index\.ts$/.test(rel);
}

function check(context, node, spec) {
  const file = context.filename ?? context.getFilename();
  const layer = layerOf(file);
  if (!layer || typeof spec !== 'string') return;
  const report = (message) => context.report({ node, message });
  const relative = spec.startsWith('.');
  const target = relative ? layerOf(path.resolve(path.dirname(file), spec) + '/') : undefined;
  if (spec === 'electron' || spec.startsWith('electron/')) {
    if (layer === 'preload' || (layer === 'main' && isElectronShell(file))) return;
    report(`Only the Electron shell (src/main/electron/, src/main/index.ts) and the preload may import electron; ${layer} code must run under plain Node or in a browser.`);
    return;
  }
  if (layer === 'shared') {
    if (relative && target && target !== 'shared') report('src/shared must not import from other layers: it is pure TypeScript shared by main and renderer.');
    if (nodeBuiltin(spec)) report('src/shared must not import node built-ins: the renderer uses it too.');
    if (spec === 'react' || spec.startsWith('react/') || spec === 'react-dom') report('src/shared must not import React.');
    return;
  }
  if (layer === 'renderer') {
    if (relative && target && target !== 'renderer' && target !== 'shared') report(`The renderer may import only src/shared, not src/${target}.`);
    if (nodeBuiltin(spec)) report('The renderer runs in a sandboxed browser page and cannot import node built-ins.');
    return;
  }
  if (layer === 'preload') {
    if (relative && target && target !== 'preload' && target !== 'shared') report(`The preload may import only src/shared and electron, not src/${target}.`);
    return;
  }
  if (layer === 'main' && relative && target && target !== 'main' && target !== 'shared') {
    report(`src/main may import only src/shared and node, not src/${target}.`);
  }
}

export default {
  rules: {
    layering: {
      meta: { type: 'problem', docs: { description: 'Enforce the src/ layering of Wheelhouse.' }, schema: [] },
      create(context) {
        return {
          ImportDeclaration: (node) => check(context, node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(context, node, node.source.value),
          ExportAllDeclaration: (node) => check(context, node, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(context, node, node.source.value),
        };
      },
    },
  },
};
