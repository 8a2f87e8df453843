import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

const ANALYSIS_DIR = join(__dirname, '../../../src/analysis');
// Sibling modules, the shared error helpers, and the one numeric dependency are allowed.
const ALLOWED_IMPORT = /^(\.\/[A-Za-z]+|\.\.\/io\/errors|ml-matrix)$/;
const FORBIDDEN_GLOBAL = /\b(window|document|self|postMessage|Math\.random|console)\b/;

describe('src/analysis purity', () => {
  const files = readdirSync(ANALYSIS_DIR).filter((name) => name.endsWith('.ts'));

  it('src/analysis imports only its own files, src/io/errors and ml-matrix', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const source = readFileSync(join(ANALYSIS_DIR, file), 'utf8');
      for (const match of source.matchAll(/from '([^']+)'/g)) {
        expect({ file, specifier: match[1], allowed: ALLOWED_IMPORT.test(match[1]) }).toEqual({ file, specifier: match[1], allowed: true });
      }
    }
  });

  it('src/analysis uses no DOM, worker, console or global-random API and keeps each file under 400 lines', () => {
    for (const file of files) {
      const source = readFileSync(join(ANALYSIS_DIR, file), 'utf8');
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      expect({ file, usesForbidden: FORBIDDEN_GLOBAL.exec(code)?.[0] ?? null }).toEqual({ file, usesForbidden: null });
      expect({ file, under400: source.split('\n').length < 400 }).toEqual({ file, under400: true });
    }
  });
});
