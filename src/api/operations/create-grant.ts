import { ValidationException } from '../../errors.js';
import type { Grant } from '../../store/store.js';
import { createGrant } from '../../service/grants.js';
import { keyOperation } from '../operation.js';
import type { GrantConstraints } from '../generated/kms-shapes.js';
import { stated } from '../wire/request-terms.js';
import type { RequestedGrant } from '../../auth/authorization/request-terms.js';

/**
 * Adds a grant to a key. Authorization (kms:CreateGrant in the key policy, IAM policies, or a grant that
 * allows CreateGrant and covers the new grant) is the pipeline's; the key must be usable (AWS's key state
 * table treats CreateGrant like a cryptographic operation).
 */
export const CreateGrant = keyOperation({
  name: 'CreateGrant',
  action: 'kms:CreateGrant',
  readOnly: false,
  terms: (input) => {
    const { EncryptionContextSubset: subset, EncryptionContextEquals: equals } = input.Constraints ?? {};
    return stated({
      requestedGrant: stated<RequestedGrant>({
        operations: input.Operations ?? [],
        encryptionContextSubset: subset,
        encryptionContextEquals: equals,
      }),
      // AWS applies kms:EncryptionContext:* of a CreateGrant to the grant's constraints.
      encryptionContext: subset === undefined && equals === undefined ? undefined : { ...subset, ...equals },
      grantTokens: input.GrantTokens,
    });
  },
  key: { reference: (input) => input.KeyId, acceptsAlias: false, states: 'use' },
  async handle({ input, key, caller }, deps) {
    refuseServicePrincipals(input.GranteeServicePrincipal, input.RetiringServicePrincipal);
    if (input.GranteePrincipal === undefined) {
      throw new ValidationException(
        '1 validation error detected: Value null at \'granteePrincipal\' failed to satisfy constraint: Member must not be null',
      );
    }
    const constraints = fromWireConstraints(input.Constraints);
    const { grantId, grantToken } = await createGrant(deps, key, caller.accountId, {
      granteePrincipal: input.GranteePrincipal,
      operations: input.Operations,
      ...(input.RetiringPrincipal === undefined ? {} : { retiringPrincipal: input.RetiringPrincipal }),
      ...(constraints === undefined ? {} : { constraints }),
      ...(input.Name === undefined ? {} : { name: input.Name }),
    });
    return { GrantId: grantId, GrantToken: grantToken };
  },
});

/**
 * Service principals exist only inside AWS: nothing here could ever act as one, so a grant to one (or retirable
 * by one) is refused rather than stored without it — ignoring `RetiringServicePrincipal` would make a grant only
 * its issuer can retire.
 */
function refuseServicePrincipals(grantee: string | undefined, retiring: string | undefined): void {
  for (const [member, value] of [['GranteeServicePrincipal', grantee], ['RetiringServicePrincipal', retiring]] as const) {
    if (value !== undefined) {
      throw new ValidationException(`${member} is not supported by this server: there are no AWS service principals.`);
    }
  }
}

function fromWireConstraints(wire: GrantConstraints | undefined): Grant['constraints'] | undefined {
  if (wire === undefined) return undefined;
  if (wire.SourceArn !== undefined) {
    throw new ValidationException('The SourceArn grant constraint applies to AWS service principals only, which this server does not have.');
  }
  const { EncryptionContextSubset: subset, EncryptionContextEquals: equals } = wire;
  if (subset === undefined && equals === undefined) return undefined;
  return {
    ...(subset === undefined ? {} : { encryptionContextSubset: subset }),
    ...(equals === undefined ? {} : { encryptionContextEquals: equals }),
  };
}
