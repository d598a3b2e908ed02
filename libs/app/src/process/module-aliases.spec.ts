import { aliasTarget } from './module-aliases';

describe('aliasTarget', () => {
  it('maps a library onto its src directory under the root', () => {
    expect(aliasTarget('@asiointitili/core', '/x/dist')).toBe('/x/dist/libs/core/src');
  });

  it('maps a path inside a library', () => {
    expect(aliasTarget('@asiointitili/app/auth/token-service', '/x/dist')).toBe('/x/dist/libs/app/src/auth/token-service');
    expect(aliasTarget('@asiointitili/event-store', '/x/dist')).toBe('/x/dist/libs/event-store/src');
  });

  it('leaves every other request alone', () => {
    expect(aliasTarget('jose', '/x/dist')).toBeUndefined();
    expect(aliasTarget('./command', '/x/dist')).toBeUndefined();
    expect(aliasTarget('@nestjs/common', '/x/dist')).toBeUndefined();
  });
});
