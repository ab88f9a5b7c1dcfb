import { z } from 'zod';

/** Deep Linking 2.0 content items (§3.4): `link`, `ltiResourceLink`, `file`, `html`, `image`. */
const image = z.looseObject({
  url: z.url(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});
const windowTarget = z.looseObject({
  targetName: z.string().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  windowFeatures: z.string().optional(),
});
const iframeTarget = z.looseObject({
  src: z.url().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});
const common = {
  title: z.string().optional(),
  text: z.string().optional(),
  icon: image.optional(),
  thumbnail: image.optional(),
};

export const linkItemSchema = z.looseObject({
  type: z.literal('link'),
  url: z.url(),
  ...common,
  embed: z.looseObject({ html: z.string() }).optional(),
  window: windowTarget.optional(),
  iframe: iframeTarget.optional(),
});

export const ltiResourceLinkItemSchema = z.looseObject({
  type: z.literal('ltiResourceLink'),
  url: z.url().optional(),
  ...common,
  window: windowTarget.optional(),
  iframe: iframeTarget.optional(),
  custom: z.record(z.string(), z.string()).optional(),
  lineItem: z
    .looseObject({
      label: z.string().optional(),
      scoreMaximum: z.number().positive(),
      resourceId: z.string().optional(),
      tag: z.string().optional(),
      gradesReleased: z.boolean().optional(),
    })
    .optional(),
  available: z
    .looseObject({
      startDateTime: z.iso.datetime({ offset: true }).optional(),
      endDateTime: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
  submission: z
    .looseObject({
      startDateTime: z.iso.datetime({ offset: true }).optional(),
      endDateTime: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
});

export const fileItemSchema = z.looseObject({
  type: z.literal('file'),
  url: z.url(),
  ...common,
  mediaType: z.string().optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

export const htmlItemSchema = z.looseObject({
  type: z.literal('html'),
  html: z.string().min(1),
  title: z.string().optional(),
  text: z.string().optional(),
});

export const imageItemSchema = z.looseObject({
  type: z.literal('image'),
  url: z.url(),
  ...common,
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});

export const contentItemSchema = z.discriminatedUnion('type', [
  linkItemSchema,
  ltiResourceLinkItemSchema,
  fileItemSchema,
  htmlItemSchema,
  imageItemSchema,
]);

export type LinkItem = z.infer<typeof linkItemSchema>;
export type LtiResourceLinkItem = z.infer<typeof ltiResourceLinkItemSchema>;
export type FileItem = z.infer<typeof fileItemSchema>;
export type HtmlItem = z.infer<typeof htmlItemSchema>;
export type ImageItem = z.infer<typeof imageItemSchema>;
export type ContentItem = z.infer<typeof contentItemSchema>;

/** The messages a deep linking response may show or log on the platform. */
export interface DeepLinkingMessages {
  readonly msg?: string | undefined;
  readonly log?: string | undefined;
  readonly errormsg?: string | undefined;
  readonly errorlog?: string | undefined;
}
