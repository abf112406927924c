import { components, operations } from './generated/openapi';

/** The operations of `plugins/cloud-run-iap-backend/src/schema/openapi.yaml`, by `operationId`. */
export type OperationId = keyof operations;

/** The JSON body of an operation's 200 answer. */
export type ResponseBody<O extends OperationId> =
  operations[O]['responses'][200]['content']['application/json'];

/** The query parameters of an operation. */
export type QueryParameters<O extends OperationId> = NonNullable<
  operations[O]['parameters']['query']
>;

/** The path parameters of an operation. */
export type PathParameters<O extends OperationId> = NonNullable<
  operations[O]['parameters']['path']
>;

/** A schema of the spec's `components.schemas`. */
export type Schema<Name extends keyof components['schemas']> =
  components['schemas'][Name];
