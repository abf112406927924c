import { components, operations } from './generated/openapi';

/** The operations of `plugins/cloud-run-iap-backend/src/schema/openapi.yaml`, by `operationId`. */
export type OperationId = keyof operations;

/** An operation's success answer: its 200, else its 201 (a created resource). */
type SuccessResponse<O extends OperationId> =
  operations[O]['responses'] extends { 200: infer R }
    ? R
    : operations[O]['responses'] extends { 201: infer R }
    ? R
    : never;

/** The JSON body of an operation's success answer. */
export type ResponseBody<O extends OperationId> = SuccessResponse<O> extends {
  content: { 'application/json': infer Body };
}
  ? Body
  : never;

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
