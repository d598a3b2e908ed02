import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileTable, summariseInclusive, summariseProfile } from './profile-summary';

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

  it('charges inclusive time once to every function on the stack, recursion counted once', () => {
    const file = join(dir, 'p.cpuprofile');
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2] },
          { id: 2, callFrame: { functionName: 'send', url: '', lineNumber: 0 }, children: [3, 4] },
          { id: 3, callFrame: { functionName: 'read', url: '', lineNumber: 0 }, children: [5] },
          { id: 4, callFrame: { functionName: 'hash', url: '', lineNumber: 0 } },
          { id: 5, callFrame: { functionName: 'send', url: '', lineNumber: 0 } },
        ],
        samples: [3, 4, 5, 2],
        timeDeltas: [1000, 1000, 1000, 1000],
      }),
    );
    const lines = summariseInclusive(file);
    expect(lines.map((line) => [line.function, line.selfMs])).toEqual([
      ['send', 4],
      ['read', 2],
      ['hash', 1],
    ]);
    expect(profileTable(lines, 'inclusive')).toContain('| inclusive % | inclusive ms |');
  });
});
