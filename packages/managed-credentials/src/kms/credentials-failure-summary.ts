/**
 * A failure of `@alicloud/credentials` reduced to facts that are safe to
 * show. The library quotes the STS or metadata answer body in its messages
 * (`refresh RoleArn sts token err, unmarshal fail: {…}`, `get sts token
 * failed, httpStatus: 500, message = …`, a JSON parser's message quoting its
 * input); a truncated or odd answer with status 200 can carry an
 * AccessKeySecret or SecurityToken. So the message is never copied: only the
 * text before the first body-like part, the HTTP status, the STS `Code` and a
 * Node error code survive, and the original error is not kept (see
 * {@link CredentialsFailure}).
 */
export function credentialsFailureSummary(error: unknown): string {
  if (!(error instanceof Error)) return 'non-Error failure';
  const message = error.message;
  // Before a JSON body, a `key: text` suffix (not `httpStatus: 404`) or a `message = …`.
  const lead = message.split(/\{|: (?!\d)| = |\n/)[0] ?? '';
  const facts = [lead.replace(/[\s,:.]+$/, '').slice(0, 160) || error.name];
  const status = /(?:failed with|httpStatus:|failed: \S+ \S+) ?(\d{3})\b/.exec(message)?.[1];
  if (status !== undefined && !lead.includes(status)) facts.push(`HTTP status ${status}`);
  const code = /"Code"\s*:\s*"([\w.-]{1,80})"/.exec(message)?.[1];
  if (code !== undefined) facts.push(`code ${code}`);
  const nodeCode = (error as NodeJS.ErrnoException).code;
  if (typeof nodeCode === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(nodeCode) && !lead.includes(nodeCode)) {
    facts.push(nodeCode);
  }
  return facts.join(', ');
}

/**
 * Stands in for a failure of `@alicloud/credentials` as the `cause` of our
 * error: the provider type and the {@link credentialsFailureSummary}, never
 * the library's error (its message and its own causes may quote credentials).
 */
export class CredentialsFailure extends Error {
  constructor(description: string, error: unknown) {
    super(`${description}: ${credentialsFailureSummary(error)}`);
    this.name = 'CredentialsFailure';
  }
}
