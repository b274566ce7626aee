export {
  createDedicatedGatewaySource,
  type DedicatedGatewaySourceOptions,
} from './dedicated-gateway-source.js';
export { InstanceClient, type InstanceClientOptions } from './instance-client.js';
