// The layering rule reports imports that cross layers, and accepts the allowed ones.
import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
import tseslint from 'typescript-eslint';
import local from './layering.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } });

tester.run('layering', local.rules.layering, {
  valid: [
    { filename: 'src/main/engine.ts', code: "import { x } from '../shared/gateway';" },
    { filename: 'src/main/electron/app.ts', code: "import { app } from 'electron';" },
    { filename: 'src/preload/index.ts', code: "import { contextBridge } from 'electron';" },
    { filename: 'src/renderer/App.tsx', code: "import { x } from '../shared/gateway';" },
    { filename: 'src/shared/labels.ts', code: "import { y } from './api/meta';" },
  ],
  invalid: [
    { filename: 'src/main/engine.ts', code: "import { app } from 'electron';", errors: 1 },
    { filename: 'src/shared/x.ts', code: "import { readFileSync } from 'node:fs';", errors: 1 },
    { filename: 'src/shared/x.ts', code: "import { Engine } from '../main/engine';", errors: 1 },
    { filename: 'src/renderer/App.tsx', code: "import { Engine } from '../main/engine';", errors: 1 },
    { filename: 'src/renderer/App.tsx', code: "import fs from 'node:fs';", errors: 1 },
    { filename: 'src/main/gateway/server.ts', code: "import { App } from '../../renderer/App';", errors: 1 },
  ],
});
