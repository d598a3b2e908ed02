import { IndexRegistry } from './index-registry';

const FIELDS = [{ field: 'owner', direction: 'asc' as const }, { field: 'sentAt', direction: 'desc' as const }];

describe('index registry: covering indexes', () => {
  it('keeps the key of an index whatever its covering, so other stores name it as before', () => {
    const [plain] = new IndexRegistry().register([{ collection: 'lines', fields: FIELDS }]);
    const [covering] = new IndexRegistry().register([{ collection: 'lines', fields: FIELDS, covering: true }]);
    expect(covering).toMatchObject({ key: plain!.key, covering: true });
    expect(plain!.covering).toBe(false);
  });

  it('refuses an index both unique and covering: unique over the whole document it would constrain nothing', () => {
    expect(() => new IndexRegistry().register([{ collection: 'lines', fields: FIELDS, unique: true, covering: true }])).toThrow(/both unique and covering/);
  });

  it('refuses the same index asked for both covering and not', () => {
    const registry = new IndexRegistry();
    registry.register([{ collection: 'lines', fields: FIELDS, covering: true }]);
    expect(() => registry.register([{ collection: 'lines', fields: FIELDS }])).toThrow(/both covering and not covering/);
  });
});
