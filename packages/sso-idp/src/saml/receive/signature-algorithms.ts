/** The algorithms Passport accepts on signed SAML requests: RSA with SHA-256 or SHA-512; never SHA-1. */
export const signatureAlgorithms = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
} as const satisfies Record<string, string>;

export const digestAlgorithms = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

export const exclusiveCanonicalization = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const envelopedSignature = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export const rsaSha256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
