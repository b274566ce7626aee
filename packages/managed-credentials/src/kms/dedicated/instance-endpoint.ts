/**
 * The origin of a KMS instance endpoint: used as given when it carries a
 * scheme (`https://127.0.0.1:8443` in tests), else HTTPS
 * (`https://kst-xxx.cryptoservice.kms.aliyuncs.com`).
 */
export function instanceOrigin(endpoint: string): string {
  const trimmed = endpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  return new URL(withScheme).origin;
}
