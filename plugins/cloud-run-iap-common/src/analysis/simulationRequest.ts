import { SimulationRequest } from '../report/types';
import { isValidIp } from './network';

const REGION_CODE = /^[A-Za-z]{2}$/;
const SIMULATION_MEMBER = /^(user|serviceAccount):[^@\s]+@[^@\s]+$/;

/** Problems with a simulation request, each naming the field and the rule; empty when valid. */
export function validateSimulationRequest(
  request: SimulationRequest,
): string[] {
  const problems: string[] = [];
  if (request.ip !== undefined && !isValidIp(request.ip)) {
    problems.push('ip: must be an IPv4 or IPv6 address');
  }
  if (request.region !== undefined && !REGION_CODE.test(request.region)) {
    problems.push(
      'region: must be an ISO 3166-1 alpha-2 country code such as GB or US',
    );
  }
  if (request.member !== undefined && !SIMULATION_MEMBER.test(request.member)) {
    problems.push('member: must be user:EMAIL or serviceAccount:EMAIL');
  }
  return problems;
}
