import type { CallArguments } from './call-arguments.js';

type Progress = (percentage: number, checkpoint?: unknown, res?: unknown) => unknown;

interface MultipartOptions {
  checkpoint?: unknown;
  progress?: Progress;
  [option: string]: unknown;
}

interface Checkpoint {
  uploadId: string;
  doneParts: unknown[];
  [field: string]: unknown;
}

function isCheckpoint(value: unknown): value is Checkpoint {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Checkpoint).uploadId === 'string' &&
    Array.isArray((value as Checkpoint).doneParts)
  );
}

/**
 * Arguments of `multipartUpload(name, file, options)` such that a retry after an
 * expired key resumes the same upload instead of starting over: every attempt
 * reports its checkpoints (ali-oss passes one to `progress` after the upload is
 * initiated and after each part) and the next attempt passes the last one as
 * `options.checkpoint`, which ali-oss resumes from (the parts already uploaded
 * are kept, the upload id stays). The caller's own `progress` is still called.
 * `file` is a path, Buffer or File, never a stream, so attempts are replayable.
 */
export function multipartUploadArguments(args: unknown[]): CallArguments {
  const [name, file, given, ...rest] = args;
  const options: MultipartOptions =
    typeof given === 'object' && given !== null ? (given as MultipartOptions) : {};
  let checkpoint = options.checkpoint;
  let attempt = 0;
  return {
    forAttempt: () => {
      const current = ++attempt;
      const progress: Progress = async (percentage, latest, res) => {
        // Parts of a failed attempt may still finish later; only the running attempt moves the checkpoint.
        if (current === attempt && isCheckpoint(latest)) checkpoint = latest;
        await options.progress?.(percentage, latest, res);
      };
      // A copy: ali-oss pushes finished parts into `doneParts`, and a late part of the failed attempt
      // must not add a duplicate to the list the new attempt completes with.
      const resumeFrom = isCheckpoint(checkpoint)
        ? { ...checkpoint, doneParts: [...checkpoint.doneParts] }
        : checkpoint;
      return [name, file, { ...options, checkpoint: resumeFrom, progress }, ...rest];
    },
  };
}
