// The upload limits, shared by the server that enforces them and the upload
// page that states them (the file readers themselves are server-only).

/**
 * Largest accepted upload: 5 MiB. A 20,000-row roster is about 3 MB, so
 * this leaves room while refusing a 50 MB file before it is read: check
 * Content-Length with checkUploadSize, and wrap the body in
 * limitUploadBytes for clients that send no length or lie about it.
 */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Most volunteers in one file; a bigger list is split by the planner. */
export const MAX_IMPORT_ROWS = 20_000;
