import { resolve } from 'node:path';
import { dataDirOf, DEFAULT_DATA_DIR } from './data-dir';
import { memoryEnv } from './testing/memory-env';

describe('dataDirOf', () => {
  it('defaults to ./data in the working directory, like the server', () => {
    expect(DEFAULT_DATA_DIR).toBe('./data');
    expect(dataDirOf(memoryEnv({}).env)).toBe(resolve('data'));
    expect(dataDirOf(memoryEnv({ DATA_DIR: '  ' }).env)).toBe(resolve('data'));
  });

  it('takes DATA_DIR, resolved against the working directory', () => {
    expect(dataDirOf(memoryEnv({ DATA_DIR: '/srv/asiointitili' }).env)).toBe('/srv/asiointitili');
    expect(dataDirOf(memoryEnv({ DATA_DIR: 'var/data' }).env)).toBe(resolve('var/data'));
  });
});
