import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/api-process';

const run = promisify(execFile);

/**
 * scripts/built.js (behind npm start, npm run cli, npm run bench) on a project of its own: a build
 * that copies a source into dist/, so what ran is visible. It must run what is built when nothing
 * changed, rebuild when anything did, and never run a stale dist/ after a failed build.
 */
describe('npm start / npm run cli run what is built, and rebuild only when the sources changed', () => {
  let project: string;

  const command = async (): Promise<{ code: number; stdout: string; stderr: string }> =>
    run(process.execPath, [join(project, 'scripts', 'built.js'), 'dist/main.js', 'arg'], { cwd: project }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  const source = (text: string) => writeFileSync(join(project, 'apps', 'main.txt'), text);

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'built-commands-'));
    mkdirSync(join(project, 'scripts'));
    mkdirSync(join(project, 'apps'));
    copyFileSync(join(REPO_ROOT, 'scripts', 'built.js'), join(project, 'scripts', 'built.js'));
    // The "compiler": refuses a source containing FAIL, else emits a program that prints it and its argument.
    writeFileSync(
      join(project, 'build.js'),
      `const fs = require('fs'); const text = fs.readFileSync('apps/main.txt', 'utf8');
       if (text.includes('FAIL')) { console.log('error: the source does not compile'); process.exit(2); }
       fs.mkdirSync('dist', { recursive: true });
       fs.writeFileSync('dist/main.js', 'console.log(' + JSON.stringify(text) + ', process.argv[2])');`,
    );
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'p', private: true, scripts: { build: 'node build.js' } }));
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('builds a fresh tree first, with the build output on stderr so stdout is the command\'s own', async () => {
    source('one');
    const first = await command();
    expect(first).toMatchObject({ code: 0, stdout: 'one arg\n' });
    expect(first.stderr).toContain('sources changed since the last build');
  }, 60_000);

  it('runs what is built without building when nothing changed', async () => {
    const again = await command();
    expect(again).toEqual({ code: 0, stdout: 'one arg\n', stderr: '' });
  }, 60_000);

  it('rebuilds when a source changed (an edit, a git pull)', async () => {
    source('two');
    const changed = await command();
    expect(changed.stdout).toBe('two arg\n');
    expect(changed.stderr).toContain('sources changed since the last build');
  }, 60_000);

  it('stops with the build\'s errors instead of running the stale dist/ when the build fails, and keeps refusing until it compiles', async () => {
    source('FAIL');
    for (let attempt = 0; attempt < 2; attempt++) {
      const failed = await command();
      expect(failed.code).toBe(2);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toContain('error: the source does not compile');
      expect(failed.stderr).toContain('not running a stale dist/');
    }
    source('three');
    expect((await command()).stdout).toBe('three arg\n');
  }, 60_000);
});
