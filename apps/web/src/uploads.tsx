import { useState } from 'react';
import { Button } from 'suomifi-ui-components';
import { ApiError, upload, type UploadedAttachment } from './api';
import { useApp } from './context';
import { formatSize } from './format';

export interface FileUpload {
  readonly key: string;
  readonly name: string;
  readonly size: number;
  readonly progress: number;
  readonly attachment?: UploadedAttachment;
  readonly error?: string;
}

export interface Uploads {
  readonly files: readonly FileUpload[];
  choose(files: FileList | null): void;
  remove(key: string): void;
  /** Every chosen file is either uploaded or failed (nothing still on its way). */
  readonly settled: boolean;
  /** Ids of the uploaded files, to reference from the application or reply. */
  readonly ids: readonly string[];
  clear(): void;
}

/** Files uploaded one by one as soon as they are chosen (POST /v1/attachments), each with its progress. */
export function useUploads(): Uploads {
  const { t } = useApp();
  const [files, setFiles] = useState<FileUpload[]>([]);
  const update = (key: string, change: Partial<FileUpload>) => setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...change } : f)));
  return {
    files,
    settled: files.every((f) => f.attachment || f.error),
    ids: files.flatMap((f) => (f.attachment ? [f.attachment.id] : [])),
    remove: (key) => setFiles((list) => list.filter((f) => f.key !== key)),
    clear: () => setFiles([]),
    choose: (chosen) => {
      for (const file of Array.from(chosen ?? [])) {
        const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
        setFiles((list) => [...list, { key, name: file.name, size: file.size, progress: 0 }]);
        upload(file, (fraction) => update(key, { progress: fraction }))
          .then((attachment) => update(key, { attachment, progress: 1 }))
          .catch((error: unknown) => {
            const status = error instanceof ApiError ? error.problem.status : 0;
            const why = status === 413 ? t.tooLarge : status === 415 ? t.badType : error instanceof ApiError && error.problem.detail ? error.problem.detail : t.error;
            update(key, { error: t.uploadFailed(file.name, why) });
          });
      }
    },
  };
}

/** The file field with its hint, and the chosen files with a labelled progress bar each, announced politely. */
export function UploadField({ id, uploads }: { readonly id: string; readonly uploads: Uploads }) {
  const { t } = useApp();
  return (
    <div className="field">
      <label htmlFor={id} className="label">
        {t.applicationFiles}
      </label>
      <p className="hint" id={`${id}-hint`}>
        {t.applicationFilesHint}
      </p>
      <input
        id={id}
        type="file"
        multiple
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          uploads.choose(event.target.files);
          event.target.value = '';
        }}
      />
      {uploads.files.length > 0 && (
        <ul className="uploads" aria-live="polite">
          {uploads.files.map((f) => (
            <li key={f.key}>
              {f.error ? (
                <span className="upload-error" role="alert">
                  {f.error}
                </span>
              ) : (
                <>
                  <span>{f.attachment ? t.uploaded(f.name) : t.uploading(f.name, Math.round(f.progress * 100))}</span> <span className="size">({formatSize(f.size)})</span>
                  <progress className="progress" max={100} value={Math.round(f.progress * 100)} aria-label={t.uploading(f.name, Math.round(f.progress * 100))} />
                </>
              )}
              <Button variant="secondaryNoBorder" onClick={() => uploads.remove(f.key)} aria-label={`${t.removeFile}: ${f.name}`}>
                {t.removeFile}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
