import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileTable, summariseProfile } from './profile-summary';

describe('the CPU profile summary', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'profile-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('charges each sample to the function on top of the stack and ranks functions by self time', () => {
    const file = join(dir, 'p.cpuprofile');
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
          { id: 2, callFrame: { functionName: 'hash', url: 'file:///x/node_modules/lib/a.js', lineNumber: 9 } },
          { id: 3, callFrame: { functionName: '', url: '', lineNumber: -1 } },
        ],
        samples: [2, 2, 3, 2],
        timeDeltas: [1000, 2000, 500, 1500],
      }),
    );
    const lines = summariseProfile(file);
    expect(lines[0]).toEqual({ function: 'hash', location: 'node_modules/lib/a.js:10', selfMs: 5, selfPercent: 90 });
    expect(lines[1]).toMatchObject({ function: '(anonymous)', selfMs: 1 });
    expect(profileTable(lines)).toContain('| 90 | 5 | `hash` | node_modules/lib/a.js:10 |');
  });
});
