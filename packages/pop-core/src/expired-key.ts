import { isExpiredKeyError, type ExpiredKeyJudge } from 'managed-credentials';

/**
 * Default judge of the pop-core clients: the core's (`InvalidAccessKeyId.NotFound`,
 * `InvalidAccessKeyId` in `err.code` or `err.data.Code`, any case), plus the
 * error's `name`. pop-core names its errors `<Code>Error`
 * (`InvalidAccessKeyId.NotFoundError`), and `ROAClient` before 1.7.13 puts the
 * code nowhere else: its HTTP >= 400 error carries neither `code` nor
 * `statusCode`.
 */
export const isExpiredPopCoreKeyError: ExpiredKeyJudge = (error) =>
  isExpiredKeyError(error) || (error instanceof Error && isExpiredKeyError({ code: error.name }));
