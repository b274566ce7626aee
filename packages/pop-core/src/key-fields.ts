import type { SigningKey } from './signing-key.js';

const KEY_FIELDS = ['accessKeyId', 'accessKeySecret', 'securityToken'] as const;
type KeyField = (typeof KEY_FIELDS)[number];

/**
 * Makes `client.accessKeyId` / `client.accessKeySecret` (what pop-core before
 * 1.8 signs with) read the key of the request being started, on every client
 * of a class: accessors on the class's prototype, not on each client. Own
 * accessors with closures per client would give each client its own hidden
 * class (~0.5 KB apiece). On the prototype they are not own and not
 * enumerable, so logging or spreading a client shows no key. `securityToken`
 * reads as undefined (a RAM user's AccessKey has none).
 *
 * pop-core before 1.8 assigns the three fields in its constructor: those
 * writes (before `signingKeyOf` knows the client) are dropped. Later writes
 * throw a TypeError: the key changes by rotating the secret.
 *
 * @param signingKeyOf the client's signing key; undefined while the client is being constructed.
 */
export function defineKeyFields(
  prototype: object,
  className: string,
  signingKeyOf: (client: object) => SigningKey | undefined,
): void {
  const read: Record<KeyField, (key: SigningKey) => string | undefined> = {
    accessKeyId: (key) => key.snapshot.accessKeyId,
    accessKeySecret: (key) => key.snapshot.accessKeySecret,
    securityToken: () => undefined,
  };
  for (const field of KEY_FIELDS) {
    const readField = read[field];
    Object.defineProperty(prototype, field, {
      configurable: true,
      enumerable: false,
      get(this: object): string | undefined {
        const signingKey = signingKeyOf(this);
        return signingKey && readField(signingKey);
      },
      set(this: object): void {
        if (signingKeyOf(this) === undefined) return;
        throw new TypeError(
          `${className}.${field} cannot be set: the AccessKey comes from the client's secret and changes when the secret is rotated.`,
        );
      },
    });
  }
}
