import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

/**
 * class-transformer's own metadata storage: the one its plainToInstance reads. The package
 * exports no accessor for it, so it is taken from the module the package's CommonJS build
 * (the one Nest's ValidationPipe requires) uses; reading another copy would see no decorators.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const transformerMetadata = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage }).defaultMetadataStorage;
