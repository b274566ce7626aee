import RPCClient from '@alicloud/pop-core';

/**
 * `@alicloud/pop-core`'s two clients. `RPCClient` is the package's export and
 * brings its own types; `ROAClient` hangs off it at run time but pop-core
 * declares no types for it, so they are written out below from its source
 * (`lib/roa.js`, 1.7–1.8).
 */
export { RPCClient };

/** The constructor config of pop-core's `ROAClient`. */
export interface ROAClientConfig {
  /** `https://cs.aliyuncs.com` … (scheme required). */
  endpoint: string;
  /** API version sent as `x-acs-version`, e.g. `2015-12-15`. */
  apiVersion: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Default options of every request (merged under a call's own `opts`). */
  opts?: object;
}

/** Query parameters of an ROA request, sent with `querystring.stringify`. */
export type ROAQuery = Record<string, string | number | boolean | readonly string[] | undefined>;

/** An instance of pop-core's `ROAClient`: REST-style calls signed with `Authorization: acs AK:signature`. */
export interface ROAClient {
  readonly endpoint: string;
  readonly apiVersion: string;
  readonly host: string;
  /**
   * Sends one request. Resolves to the parsed JSON (or XML) body, or the raw text for other content
   * types and with `opts.rawBody`; rejects with an `Error` carrying `code` and `statusCode` on HTTP >= 400.
   */
  request<T = unknown>(
    method: string,
    uriPattern: string,
    query?: ROAQuery,
    body?: string,
    headers?: Record<string, string>,
    opts?: object,
  ): Promise<T>;
  get<T = unknown>(
    path: string,
    query?: ROAQuery,
    headers?: Record<string, string>,
    opts?: object,
  ): Promise<T>;
  post<T = unknown>(
    path: string,
    query?: ROAQuery,
    body?: string,
    headers?: Record<string, string>,
    opts?: object,
  ): Promise<T>;
  put<T = unknown>(
    path: string,
    query?: ROAQuery,
    body?: string,
    headers?: Record<string, string>,
    opts?: object,
  ): Promise<T>;
  delete<T = unknown>(
    path: string,
    query?: ROAQuery,
    headers?: Record<string, string>,
    opts?: object,
  ): Promise<T>;
}

/** pop-core's `ROAClient` class. */
export interface ROAClientConstructor {
  new (config: ROAClientConfig): ROAClient;
  readonly prototype: ROAClient;
}

/** pop-core's `ROAClient` class (`require('@alicloud/pop-core').ROAClient`). */
export const ROAClient = (RPCClient as unknown as { ROAClient: ROAClientConstructor }).ROAClient;
