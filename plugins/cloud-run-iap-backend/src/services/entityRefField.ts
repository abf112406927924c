import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * A full entity ref from a field that may leave out the kind (then `defaultKind`) and the
 * namespace (then `default`); an input error naming the field otherwise.
 */
export function entityRefField(
  value: string,
  field: string,
  defaultKind: string,
): string {
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind }));
  } catch (error) {
    throw new InputError(`${field}: ${(error as Error).message}`);
  }
}
