import type { AccessKey, IamRole, IamUser } from '../../../store/store.js';
import type { XmlValue } from '../xml-wire.js';

/** The XML namespace of IAM's query API (version 2010-05-08). */
export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** IAM's timestamps: ISO 8601 in UTC, whole seconds (`2025-01-01T00:00:00Z`). */
export function iamTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * IAM returns policy documents URL-encoded (RFC 3986); the AWS CLI decodes them for display, SDKs hand
 * them over as they are.
 */
export function encodedPolicyDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The `User` shape. */
export function userXml(user: IamUser): XmlValue {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: iamTimestamp(user.createdAt),
  };
}

/** The `Role` shape; with its trust policy, URL-encoded, as GetRole and CreateRole return it (ListRoles does not). */
export function roleXml(role: IamRole, withTrustPolicy = true): XmlValue {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: iamTimestamp(role.createdAt),
    AssumeRolePolicyDocument: withTrustPolicy ? encodedPolicyDocument(role.trustPolicy) : undefined,
    Description: role.description,
    MaxSessionDuration: role.maxSessionDurationSeconds,
  };
}

/** The `AccessKeyMetadata` shape: never the secret. */
export function accessKeyMetadataXml(key: AccessKey): XmlValue {
  return {
    UserName: key.userName,
    AccessKeyId: key.accessKeyId,
    Status: key.status,
    CreateDate: iamTimestamp(key.createdAt),
  };
}
