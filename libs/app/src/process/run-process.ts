import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import { PinoLoggerService, createPinoLogger, logFormatOf } from './pino-logger';

/**
 * Shared life cycle of the processes: configuration errors end the process with the message
 * naming the variable (exit 2), SIGTERM/SIGINT run `stop` once (draining requests, saving
 * checkpoints) and then exit, and any start failure exits 1 with its reason.
 */
export function runProcess(name: string, start: (config: AppConfig) => Promise<() => Promise<void>>): void {
  // Before anything logs: JSON lines in production, readable lines in development, every line
  // through the personal-data mask and, inside a request, with its request and correlation ids.
  Logger.overrideLogger(new PinoLoggerService(createPinoLogger(logFormatOf(process.env))));
  const logger = new Logger(name);
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  start(config).then(
    (stop) => {
      let stopping = false;
      const onSignal = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.log(`${signal}: draining and stopping`);
        stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      process.on('SIGINT', () => onSignal('SIGINT'));
    },
    (error: unknown) => {
      // A key that is missing from KEYS_DIR is found only when it is opened: still a configuration error.
      if (error instanceof ConfigError) {
        process.stderr.write(`configuration error: ${error.message}\n`);
        process.exit(2);
      }
      logger.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
