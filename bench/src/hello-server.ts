import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';

@Controller()
class HelloController {
  @Get('hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

/**
 * The baseline: a hello-world on the same stack as the API (NestJS 11 on the Express adapter,
 * the same JSON body parser and Express settings), so sendRps / baselineRps shows what the
 * application itself costs on top of the framework on this machine.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create(HelloModule, { bodyParser: false, logger: ['error', 'warn'] });
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('etag', false);
  http.set('query parser', 'simple');
  app.use(express.json({ limit: 1024 * 1024, strict: true }));
  await app.listen(Number(process.env.PORT ?? 3001), '127.0.0.1');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
