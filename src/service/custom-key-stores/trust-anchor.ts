import { X509Certificate } from 'node:crypto';
import { IncorrectTrustAnchorException } from '../../errors.js';

const PEM_CERTIFICATE = /^\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;

/**
 * Checks a `TrustAnchorCertificate`: one PEM-encoded X.509 certificate, as AWS requires (the content of the
 * cluster's `customerCA.crt`). AWS also checks it against the cluster's own certificate; a PKCS#11 token has none
 * to compare, so it is stored as given and returned by DescribeCustomKeyStores.
 * @throws IncorrectTrustAnchorException for anything else.
 */
export function validateTrustAnchor(pem: string): string {
  if (!PEM_CERTIFICATE.test(pem)) throw incorrect();
  try {
    new X509Certificate(pem);
  } catch {
    throw incorrect();
  }
  return pem;
}

function incorrect(): IncorrectTrustAnchorException {
  return new IncorrectTrustAnchorException('The TrustAnchorCertificate is not a valid PEM-encoded X.509 certificate.');
}
