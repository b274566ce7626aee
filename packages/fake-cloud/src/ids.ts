import { randomBytes, randomUUID } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits, as Alibaba Cloud AccessKey ids and secrets use. */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return text;
}

/** `LTAI5t…` (24 characters), the shape of a RAM user AccessKey id. */
export function newAccessKeyId(): string {
  return `LTAI5t${randomAlphanumeric(18)}`;
}

/** `STS.NT…`, the shape of a temporary (STS) AccessKey id. */
export function newStsAccessKeyId(): string {
  return `STS.NT${randomAlphanumeric(26)}`;
}

/** 30 characters, the length of a RAM AccessKeySecret. */
export function newAccessKeySecret(): string {
  return randomAlphanumeric(30);
}

/** `length` random decimal digits. */
export function randomDigits(length: number): string {
  let text = '';
  for (const byte of randomBytes(length)) text += String(byte % 10);
  return text;
}

/** Upper-case UUID, as Alibaba Cloud request ids look. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export function newVersionId(): string {
  return randomUUID();
}
