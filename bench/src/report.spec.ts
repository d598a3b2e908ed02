import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceSection } from './report';

describe('the benchmarks document', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bench-doc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces only the generated section and keeps the prose around it', () => {
    const file = join(dir, 'benchmarks.md');
    writeFileSync(file, '# B\n\nintro\n\n<!-- bench:run:start -->\nold\n<!-- bench:run:end -->\n\nanalysis\n');
    replaceSection('run', 'new numbers', file);
    expect(readFileSync(file, 'utf8')).toBe('# B\n\nintro\n\n<!-- bench:run:start -->\nnew numbers\n<!-- bench:run:end -->\n\nanalysis\n');
  });

  it('appends a section that is not there yet, creating the file when missing', () => {
    const file = join(dir, 'docs', 'benchmarks.md');
    replaceSection('scale', 'rows', file);
    expect(readFileSync(file, 'utf8')).toBe('# Benchmarks\n\n<!-- bench:scale:start -->\nrows\n<!-- bench:scale:end -->\n');
  });
});
