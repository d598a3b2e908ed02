import 'reflect-metadata';
import { Controller, Get, Post } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { AuditController } from '../http/controllers/audit.controller';
import { AgencyController } from '../http/controllers/agency.controller';
import { CredentialsController } from '../credentials/credentials.controller';
import { AccessLogInterceptor } from './access-log.interceptor';
import { bindAccessLog, mayServeRecordedPath } from './recorded-routes';

const interceptorsOf = (controller: { prototype: object }, method: string): unknown[] =>
  Reflect.getMetadata(INTERCEPTORS_METADATA, (controller.prototype as Record<string, unknown>)[method] as object) ?? [];

describe('binding the access log to the recorded routes', () => {
  it('knows which route templates can serve a path under /v1/audit/ or /v1/admin/', () => {
    expect(mayServeRecordedPath('v1/audit/streams/:stream')).toBe(true);
    expect(mayServeRecordedPath('v1/admin/agencies/:id/credentials')).toBe(true);
    expect(mayServeRecordedPath('v1/:area/x')).toBe(true);
    expect(mayServeRecordedPath('v1/*path')).toBe(true);
    expect(mayServeRecordedPath('v1/auditors')).toBe(false);
    expect(mayServeRecordedPath('v1/agency/messages')).toBe(false);
    expect(mayServeRecordedPath('v1')).toBe(false);
  });

  it('binds the interceptor to every audit and admin route of the product, and to no other', () => {
    bindAccessLog([AuditController, CredentialsController, AgencyController]);
    for (const method of ['stream', 'trail', 'verify', 'replay']) expect(interceptorsOf(AuditController, method)).toEqual([AccessLogInterceptor]);
    const credentialRoutes = Object.getOwnPropertyNames(CredentialsController.prototype).filter((name) => name !== 'constructor');
    expect(credentialRoutes.length).toBeGreaterThan(0);
    for (const method of credentialRoutes) expect(interceptorsOf(CredentialsController, method)).toEqual([AccessLogInterceptor]);
    for (const method of ['send', 'message', 'events']) expect(interceptorsOf(AgencyController, method)).toEqual([]);
  });

  it('binds once however often the module is registered, and leaves routes outside the prefixes alone', () => {
    @Controller('v1')
    class Mixed {
      @Get('admin/things')
      things(): void {}

      @Post('citizen/things')
      write(): void {}
    }
    bindAccessLog([Mixed]);
    bindAccessLog([Mixed]);
    expect(interceptorsOf(Mixed, 'things')).toEqual([AccessLogInterceptor]);
    expect(interceptorsOf(Mixed, 'write')).toEqual([]);
  });
});
