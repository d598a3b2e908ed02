export { InvalidBlobIdError } from './blob-id';
export { createBlobStore, type BlobStoreConfig } from './create-blob-store';
export { FileBlobStore, BLOBS_DIRECTORY, type FileBlobStoreOptions } from './embedded/file-blob-store';
export { GridFsBlobStore, DEFAULT_BUCKET, type GridFsBlobStoreOptions } from './mongo/gridfs-blob-store';
