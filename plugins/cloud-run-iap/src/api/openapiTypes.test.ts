import {
  AccessLevelsResponse,
  AccessReportResponse,
  ReviewResponse,
  SimulationRequest,
  SimulationResult,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { ResponseBody, Schema } from './openapiTypes';

/** `true` only when each type is assignable to the other. */
type SameShape<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? true
    : false
  : false;

// `yarn tsc` fails here when the spec and -common's types part ways.
const sameShapes: [
  SameShape<ResponseBody<'GetEntityAccess'>, AccessReportResponse>,
  SameShape<ResponseBody<'SimulateEntityAccess'>, SimulationResult>,
  SameShape<ResponseBody<'GetAccessReview'>, ReviewResponse>,
  SameShape<ResponseBody<'GetAccessLevels'>, AccessLevelsResponse>,
  SameShape<Schema<'SimulationRequest'>, SimulationRequest>,
] = [true, true, true, true, true];

describe('the client types of the spec', () => {
  it('are the shapes of -common, both ways (checked by the compiler)', () => {
    expect(sameShapes).toEqual([true, true, true, true, true]);
  });
});
