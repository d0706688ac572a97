// The recording spool and its background uploader: what the main process (host.ts) uses.
export { TEMP_SUFFIX, writeFileAtomic } from "./atomic-file";
export {
  type ArtifactKind,
  createRecordingSpool,
  finishedFiles,
  isSafeAssignmentId,
  listRecordingFiles,
  MANIFEST_FILE,
  parseFileName,
  readManifest,
  type RecordingSpool,
  type RecordingSpoolOptions,
  sealSpool,
  type SpoolFile,
  type SpoolManifest,
  TIMELINE_FILE_LIMIT,
} from "./recording-spool";
export {
  type CallOptions,
  classifyFailure,
  createUploadClient,
  failureMessage,
  type FailureKind,
  type UploadClient,
  type UploadClientOptions,
  type UploadedArtifact,
} from "./upload-client";
export {
  createUploadQueue,
  DEFAULT_CHUNK_BYTES,
  DEFAULT_RETRY,
  QUEUE_FILE,
  type RetryOptions,
  SERVER_MAX_CHUNK_BYTES,
  type UploadQueue,
  type UploadQueueOptions,
} from "./upload-queue";
