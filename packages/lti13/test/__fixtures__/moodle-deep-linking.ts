/**
 * Moodle deep linking requests, as data.
 *
 * NOT RECORDED FROM A RUNNING MOODLE: no Moodle is reachable where these tests run. The shapes are written from
 * what Moodle's public source builds for an LTI 1.3 tool's "Select content" button (`mod/lti/contentitem.php` calling
 * `lti_build_content_item_selection_request` in `mod/lti/locallib.php`, whose LTI 1.1 parameters are then mapped
 * onto the `deep_linking_settings` claim), as described in docs/lti13/quirks.md:
 *
 * - `accept_types` is `["ltiResourceLink"]` only ("only LTI links are currently supported");
 * - `accept_presentation_document_targets` is `["frame", "iframe", "window"]`: `frame` is not a Deep Linking 2.0
 *   value;
 * - no `accept_media_types` (sent to LTI 1.1 tools only) and no `accept_lineitem`;
 * - members outside Deep Linking 2.0, as booleans: `accept_copy_advice`, `accept_unsigned`, `can_confirm`, with
 *   `auto_create` false;
 * - `title` is the tool's name and `text` an empty string; `mod/lti` sends no `data`;
 * - the request carries no `resource_link` claim (Moodle strips `resource_link_id` and its title).
 *
 * The other claims (roles, tool platform, launch presentation) are those of any Moodle launch and are illustrative.
 *
 * `accept_multiple` is where Moodle revisions differ: the source read sends `true` (the builder's default), while
 * the builder's own documentation still says it is false by default. Which 4.x release sends which is not verified,
 * so both variants are here, and the tool must follow whichever the request says.
 */
import { claimUris } from '../../src/claims/uris.ts';

export const moodleSite = 'https://moodle.example.edu';

/** The deep_linking_settings claim of a Moodle request; `acceptMultiple` picks the variant. */
export function moodleDeepLinkingSettings(acceptMultiple: boolean): Record<string, unknown> {
  return {
    deep_link_return_url: `${moodleSite}/mod/lti/contentitem_return.php?course=2&id=3&sesskey=Xy12AbCdEf`,
    accept_types: ['ltiResourceLink'],
    accept_presentation_document_targets: ['frame', 'iframe', 'window'],
    accept_copy_advice: false,
    accept_multiple: acceptMultiple,
    accept_unsigned: false,
    auto_create: false,
    can_confirm: false,
    title: 'Passport',
    text: '',
  };
}

/** The LTI claims of a Moodle deep linking request (registered claims, nonce and deployment come from the test). */
export function moodleDeepLinkingClaims(acceptMultiple: boolean): Record<string, unknown> {
  return {
    [claimUris.messageType]: 'LtiDeepLinkingRequest',
    [claimUris.resourceLink]: undefined,
    [claimUris.roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
    [claimUris.context]: {
      id: '2',
      label: 'BIO101',
      title: 'Biology 101',
      type: ['CourseSection'],
    },
    [claimUris.toolPlatform]: {
      product_family_code: 'moodle',
      version: '2024100700',
      guid: 'moodle.example.edu',
      name: 'Example University',
      description: 'Example University Moodle',
    },
    [claimUris.launchPresentation]: { locale: 'en', document_target: 'iframe' },
    [claimUris.deepLinkingSettings]: moodleDeepLinkingSettings(acceptMultiple),
  };
}
