import * as xmllint from '@authenio/samlify-node-xmllint';
import { SsoError } from '../../errors.ts';

/** Validates a message against the SAML 2.0 protocol schema (libxml2 compiled to WebAssembly, no network). */
export async function validateSchema(xml: string): Promise<void> {
  try {
    await xmllint.validate(xml);
  } catch (cause) {
    throw new SsoError('SSO_SAML_REQUEST_INVALID', 'The SAML message does not follow the SAML 2.0 schema.', {
      cause,
    });
  }
}
