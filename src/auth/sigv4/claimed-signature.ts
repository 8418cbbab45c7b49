/**
 * What a request claims about its signature, from the Authorization header or from the query string of a
 * presigned URL, before anything of it is checked. Its own module because both readers produce it: the
 * Authorization header's (signature-claim.ts) and the presigned URL's (presigned-query.ts).
 */
export interface SignatureClaim {
  readonly algorithm: string;
  /** `accessKeyId/YYYYMMDD/region/service/aws4_request`, as sent. */
  readonly credential: string;
  /** The SignedHeaders list as sent (`host;x-amz-date`). */
  readonly signedHeaders: string;
  readonly signature: string;
  /** The request time as sent, and where it came from. */
  readonly date: { readonly text: string; readonly source: 'x-amz-date' | 'date' };
  /** Presigned requests: the X-Amz-Expires seconds, when given. */
  readonly expiresSeconds?: number;
  readonly presigned: boolean;
  readonly sessionToken?: string;
}
