import { ManagedCredentialsError } from 'managed-credentials';

/**
 * `createClient` was given a client class it cannot manage: one that signs
 * with a fixed AccessKey from its constructor config instead of reading a
 * credential object per request. `adapter` names the package that manages it.
 */
export class UnsupportedClientError extends ManagedCredentialsError {
  /** The class given, e.g. `RPCClient`. */
  readonly clientName: string;
  /** The package to use instead, e.g. `managed-credentials-pop-core`. */
  readonly adapter: string;

  constructor(message: string, details: { clientName: string; adapter: string }) {
    super('MC_UNSUPPORTED_CLIENT', message);
    this.clientName = details.clientName;
    this.adapter = details.adapter;
  }
}

/** Members only `@alicloud/pop-core`'s clients have (RPC: `_buildParams`; ROA: `buildAuthorization`). */
const POP_CORE_MEMBERS: Readonly<Record<string, string>> = {
  _buildParams: 'ProxyRPCClient',
  buildAuthorization: 'ProxyROAClient',
};

/**
 * Throws {@link UnsupportedClientError} for a class of the V1 core SDK
 * `@alicloud/pop-core` (`RPCClient`, `ROAClient`, or its module's default
 * export): those take `accessKeyId`/`accessKeySecret` in their config and
 * would otherwise fail inside pop-core with `must pass "config.accessKeyId"`.
 */
export function rejectPopCoreClient(ClientClass: {
  readonly name: string;
  readonly prototype: unknown;
}): void {
  const prototype = ClientClass.prototype;
  if (typeof prototype !== 'object' || prototype === null) return;
  for (const [member, proxy] of Object.entries(POP_CORE_MEMBERS)) {
    if (
      typeof Reflect.get(prototype, member) !== 'function' ||
      typeof Reflect.get(prototype, 'request') !== 'function'
    )
      continue;
    const name = ClientClass.name || 'this client';
    throw new UnsupportedClientError(
      `createClient: ${name} is a client of @alicloud/pop-core (the V1 core SDK), which createClient does not manage. ` +
        `Use \`new ${proxy}(config, secretName)\` from managed-credentials-pop-core instead.`,
      { clientName: name, adapter: 'managed-credentials-pop-core' },
    );
  }
}
