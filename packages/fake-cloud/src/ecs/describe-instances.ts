import { newRequestId } from '../ids.js';

/** A plausible DescribeInstances answer with one running instance in the asked region. */
export function describeInstancesBody(params: Record<string, string>): Record<string, unknown> {
  const regionId = params['RegionId'] ?? 'cn-hangzhou';
  const pageSize = Number(params['PageSize'] ?? '10');
  const pageNumber = Number(params['PageNumber'] ?? '1');
  return {
    RequestId: newRequestId(),
    TotalCount: 1,
    PageNumber: pageNumber,
    PageSize: pageSize,
    NextToken: '',
    Instances: {
      Instance: [
        {
          InstanceId: 'i-bp1fakecloud00000001',
          InstanceName: 'fake-cloud-instance',
          HostName: 'iZbp1fakecloud00000001Z',
          RegionId: regionId,
          ZoneId: `${regionId}-i`,
          Status: 'Running',
          InstanceType: 'ecs.g7.large',
          InstanceTypeFamily: 'ecs.g7',
          Cpu: 2,
          Memory: 8192,
          OSName: 'Alibaba Cloud Linux 3.2104 LTS 64位',
          OSType: 'linux',
          ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
          InstanceChargeType: 'PostPaid',
          InternetChargeType: 'PayByTraffic',
          CreationTime: '2026-01-05T08:00Z',
          StartTime: '2026-01-05T08:01Z',
          ExpiredTime: '2099-12-31T15:59Z',
          SecurityGroupIds: { SecurityGroupId: ['sg-bp1fakecloud0000001'] },
          VpcAttributes: {
            VpcId: 'vpc-bp1fakecloud0000001',
            VSwitchId: 'vsw-bp1fakecloud0000001',
            PrivateIpAddress: { IpAddress: ['172.16.0.10'] },
            NatIpAddress: '',
          },
          PublicIpAddress: { IpAddress: [] },
          EipAddress: { AllocationId: '', IpAddress: '', InternetChargeType: '' },
          Tags: { Tag: [{ TagKey: 'env', TagValue: 'test' }] },
        },
      ],
    },
  };
}
