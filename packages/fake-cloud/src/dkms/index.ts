export { createDkmsHandler, type DkmsContext } from './handler.js';
export { instanceErrorBody, sendInstanceError, type InstanceErrorAnswer } from './answers.js';
export {
  decodeGetSecretValueResponse,
  decodeInstanceError,
  encodeGetSecretValueRequest,
  type GetSecretValueRequestMessage,
  type GetSecretValueResponseMessage,
  type InstanceErrorMessage,
} from './messages.js';
export { INSTANCE_API_VERSION, INSTANCE_SIGNATURE_METHOD, MAX_DATE_SKEW_MS } from './verify-request.js';
