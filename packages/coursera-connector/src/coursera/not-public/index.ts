// NOT PUBLIC — MODELLED. Everything Coursera does not document lives behind this one entry. See ./README.md.
export {
  buildHandOffUrl,
  type CourseraAccountLink,
  type CourseraHandOffOutcome,
  type HandOffParameters,
  type HandOffSettings,
  signParameters,
  type VerifiedHandOffReturn,
  verifyHandOffReturn,
  verifySignature,
} from './hand-off.ts';
export {
  buildListItemGradesRequest,
  type CourseraItemGrade,
  type ItemGradeQuery,
  itemGradeSchema,
  processListItemGradesResponse,
} from './item-grades.ts';
export {
  buildListContentItemsRequest,
  type CourseraContentItem,
  type CourseraItemType,
  contentItemSchema,
  itemTypeSchema,
  processListContentItemsResponse,
} from './items.ts';
export {
  type CourseraWebhookEvent,
  signWebhook,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookSettings,
  webhookEventSchema,
} from './webhooks.ts';
