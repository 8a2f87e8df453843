/**
 * Errors a user can cause (a file, a setting, an input) carry a closed `code` so the UI can
 * branch on it, a message that says what was wrong and what to do, and the underlying `cause`.
 * Programmer errors use `assert` instead.
 */
export type LabErrorCode =
  | 'unsupported_format'
  | 'corrupt_file'
  | 'forbidden_global'
  | 'unsupported_global'
  | 'unsupported_dtype'
  | 'unknown_architecture'
  | 'state_dict_mismatch'
  | 'invalid_input'
  | 'backend_unavailable'
  | 'cancelled'
  | 'not_implemented';

/** Details are plain data so they survive structured cloning across the worker boundary. */
export type LabErrorDetails = Record<string, unknown>;

/** A user-facing error: `code` is stable, `message` is for people, `details` for the UI. */
export class LabError extends Error {
  override readonly name = 'LabError';
  readonly code: LabErrorCode;
  readonly details: LabErrorDetails;

  constructor(code: LabErrorCode, message: string, options: { cause?: unknown; details?: LabErrorDetails } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `value` is a LabError, also one rebuilt on this side of a worker boundary. */
export function isLabError(value: unknown): value is LabError {
  return value instanceof LabError || (value instanceof Error && value.name === 'LabError' && 'code' in value);
}

/**
 * Throws a programmer error when `condition` is false. The message is built lazily so hot paths
 * pay nothing; it should name the op and print the shapes or values involved.
 */
export function assert(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}
