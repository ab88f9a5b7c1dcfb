import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SsoError } from '../../errors.ts';
import { signMessage } from '../respond/sign.ts';
import { parseSamlXml } from '../xml.ts';
import { verifyPostSignature } from './verify-post-signature.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/__fixtures__/saml/${name}`, import.meta.url), 'utf8');
const sp = { privateKey: fixture('sp.key'), certificate: fixture('sp.crt') };

const request = (id: string, acs: string, extensions = '') =>
  `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="2026-01-01T00:00:00Z" AssertionConsumerServiceURL="${acs}"><saml:Issuer>https://sp.example</saml:Issuer>${extensions}</samlp:AuthnRequest>`;

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'verified';
  } catch (error) {
    return SsoError.isSsoError(error) ? error.code : String(error);
  }
};

const verify = (xml: string) => verifyPostSignature(xml, parseSamlXml(xml), [sp.certificate]);
const signatureOf = (xml: string) => /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)?.[0] ?? '';

describe('verifyPostSignature', () => {
  it('returns the signed content of a correctly signed request', () => {
    const signed = signMessage(request('_good', 'https://sp.example/acs'), 'AuthnRequest', sp);
    const content = verify(signed);
    expect(content).toContain('AssertionConsumerServiceURL="https://sp.example/acs"');
    expect(content).not.toContain('Signature');
  });

  it('refuses a signature that is not a child of the root (the signed request wrapped inside an evil one)', () => {
    const signed = signMessage(request('_good', 'https://sp.example/acs'), 'AuthnRequest', sp);
    const evil = request(
      '_evil',
      'https://evil.example/acs',
      `<samlp:Extensions><x:w xmlns:x="urn:x">${signed}</x:w></samlp:Extensions>`,
    );
    expect(codeOf(() => verify(evil))).toBe('SSO_SAML_SIGNATURE_WRAPPED');
  });

  it('refuses a root signature whose reference is to another element', () => {
    const signed = signMessage(request('_good', 'https://sp.example/acs'), 'AuthnRequest', sp);
    const signature = signatureOf(signed);
    const copy = signed.replace(signature, '');
    const evil = request(
      '_evil',
      'https://evil.example/acs',
      `<samlp:Extensions><x:w xmlns:x="urn:x">${copy}</x:w></samlp:Extensions>`,
    ).replace('</saml:Issuer>', `</saml:Issuer>${signature}`);
    expect(codeOf(() => verify(evil))).toBe('SSO_SAML_SIGNATURE_WRAPPED');
  });

  it('refuses duplicate IDs (xml-crypto would look the reference up by ID)', () => {
    const signed = signMessage(request('_good', 'https://sp.example/acs'), 'AuthnRequest', sp);
    const signature = signatureOf(signed);
    const copy = signed.replace(signature, '');
    const evil = request(
      '_good',
      'https://evil.example/acs',
      `<samlp:Extensions><x:w xmlns:x="urn:x">${copy}</x:w></samlp:Extensions>`,
    ).replace('</saml:Issuer>', `</saml:Issuer>${signature}`);
    expect(codeOf(() => verify(evil))).toBe('SSO_SAML_SIGNATURE_WRAPPED');
  });

  it('refuses two signatures', () => {
    const signed = signMessage(request('_good', 'https://sp.example/acs'), 'AuthnRequest', sp);
    const doubled = signed.replace(
      '</samlp:AuthnRequest>',
      `<samlp:Extensions><x:w xmlns:x="urn:x">${signatureOf(signed)}</x:w></samlp:Extensions></samlp:AuthnRequest>`,
    );
    expect(codeOf(() => verify(doubled))).toBe('SSO_SAML_SIGNATURE_WRAPPED');
  });

  it('refuses a changed message and an unknown signer', () => {
    const signed = signMessage(request('_good', 'https://sp.example/acs'), 'AuthnRequest', sp);
    expect(codeOf(() => verify(signed.replace('https://sp.example/acs', 'https://evil.example/acs')))).toBe(
      'SSO_SAML_SIGNATURE_INVALID',
    );
    const other = { privateKey: fixture('sp-attacker.key'), certificate: fixture('sp-attacker.crt') };
    expect(
      codeOf(() => verify(signMessage(request('_x', 'https://sp.example/acs'), 'AuthnRequest', other))),
    ).toBe('SSO_SAML_SIGNATURE_INVALID');
  });

  it('refuses SHA-1 digests and unexpected transforms', () => {
    const signed = signMessage(request('_good', 'https://sp.example/acs'), 'AuthnRequest', sp);
    expect(
      codeOf(() =>
        verify(
          signed.replace('http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2000/09/xmldsig#sha1'),
        ),
      ),
    ).toBe('SSO_SAML_SIGNATURE_UNSUPPORTED');
    const xslt = signed.replace(
      '<ds:Transforms>',
      '<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>',
    );
    expect(codeOf(() => verify(xslt))).toBe('SSO_SAML_SIGNATURE_UNSUPPORTED');
  });
});
