import { createMongoClient, DEFAULT_MONGODB_DATABASE, MONGO_CLIENT_DEFAULTS, parseMongoUrl } from './mongo-url';

describe('MONGODB_URL parsing', () => {
  it('takes the database name from the path', () => {
    expect(parseMongoUrl('mongodb://db1:27017,db2:27017/asiointi_prod?replicaSet=rs0')).toEqual({
      url: 'mongodb://db1:27017,db2:27017/asiointi_prod?replicaSet=rs0',
      databaseName: 'asiointi_prod',
    });
    expect(parseMongoUrl('mongodb+srv://user:p%2Fss@cluster.example.net/other').databaseName).toBe('other');
  });

  it(`defaults the database to "${DEFAULT_MONGODB_DATABASE}" when the URL names none`, () => {
    expect(parseMongoUrl('mongodb://localhost:27017').databaseName).toBe('asiointitili');
    expect(parseMongoUrl('mongodb://localhost:27017/').databaseName).toBe('asiointitili');
    expect(parseMongoUrl('mongodb://localhost:27017/?directConnection=true').databaseName).toBe('asiointitili');
  });

  it('refuses other schemes, a missing host and invalid database names with errors naming MONGODB_URL', () => {
    for (const bad of ['http://localhost/x', 'localhost:27017', 'postgres://h/db', 'mongodb://', 'mongodb://user@/db', 'mongodb://h/a.b', 'mongodb://h/a%20b', 'mongodb://h/p%C3%A4%C3%A4t%C3%B6s', `mongodb://h/${'x'.repeat(64)}`, 'mongodb://h/%E0%A4%A']) {
      expect(() => parseMongoUrl(bad)).toThrow(/MONGODB_URL/);
    }
  });

  it('does not echo the URL, which may hold a password', () => {
    expect(() => parseMongoUrl('https://admin:s3cret@host/db')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });

  it('reports a connection string the driver cannot parse as a MONGODB_URL error', () => {
    expect(() => createMongoClient({ url: 'mongodb://host:notaport/db', databaseName: 'db' })).toThrow(/MONGODB_URL is not a valid MongoDB connection string/);
  });

  it('bounds every wait on the read store (socket, pool, server selection), so an outage fails operations instead of hanging them, and the operations at once of one process', () => {
    const client = createMongoClient({ url: 'mongodb://localhost:27017/db', databaseName: 'db' });
    expect(client.options.socketTimeoutMS).toBe(MONGO_CLIENT_DEFAULTS.socketTimeoutMS);
    expect(client.options.waitQueueTimeoutMS).toBe(MONGO_CLIENT_DEFAULTS.waitQueueTimeoutMS);
    expect(client.options.serverSelectionTimeoutMS).toBe(MONGO_CLIENT_DEFAULTS.serverSelectionTimeoutMS);
    expect(client.options.connectTimeoutMS).toBe(MONGO_CLIENT_DEFAULTS.connectTimeoutMS);
    expect(client.options.heartbeatFrequencyMS).toBe(MONGO_CLIENT_DEFAULTS.heartbeatFrequencyMS);
    expect(client.options.maxPoolSize).toBe(MONGO_CLIENT_DEFAULTS.maxPoolSize);
    for (const value of Object.values(MONGO_CLIENT_DEFAULTS)) expect(value).toBeGreaterThan(0);
  });

  it('lets a timeout given in MONGODB_URL win over the default', () => {
    const client = createMongoClient({ url: 'mongodb://localhost:27017/db?socketTimeoutMS=1234&serverSelectionTimeoutMS=2000', databaseName: 'db' });
    expect(client.options.socketTimeoutMS).toBe(1234);
    expect(client.options.serverSelectionTimeoutMS).toBe(2000);
    expect(client.options.waitQueueTimeoutMS).toBe(MONGO_CLIENT_DEFAULTS.waitQueueTimeoutMS);
  });

  it('lets a pool size given in MONGODB_URL win over the default', () => {
    expect(createMongoClient({ url: 'mongodb://localhost:27017/db?maxPoolSize=3', databaseName: 'db' }).options.maxPoolSize).toBe(3);
  });
});
