/**
 * Resources, and the links that attach them to classes and courses.
 *
 * The JSON binding has no entity for a link: a class or course lists its resources as GUIDRefs
 * (`class.resources`, `course.resources`). The CSV binding has a row per link (classResources.csv,
 * courseResources.csv) with its own sourcedId, status, dateLastModified, title and extension columns, which those
 * GUIDRef arrays cannot hold. So a link is represented as an entity of its own, shaped the way the JSON binding
 * shapes everything else (base fields, `metadata`, and GUIDRefs in place of sourcedId columns):
 * `{sourcedId, status?, dateLastModified?, metadata?, title?, class, resource}`. `class.resources` is then the
 * `resource` of every link whose `class` is that class.
 */
import { z } from 'zod';
import { importanceTypes, roleTypes } from '../vocabulary.ts';
import { baseShape, guidRefSchema, requiredTextSchema } from './common.ts';

export const resourceSchema = z.object({
  ...baseShape,
  title: z.string().optional(),
  /** The roles the resource is meant for (`teacher`, `student`, ...). */
  roles: z.array(z.enum(roleTypes)).optional(),
  importance: z.enum(importanceTypes).optional(),
  vendorResourceId: requiredTextSchema,
  vendorId: z.string().optional(),
  applicationId: z.string().optional(),
});
export type Resource = z.infer<typeof resourceSchema>;

/** A row of classResources.csv: resource → class. */
export const classResourceSchema = z.object({
  ...baseShape,
  title: z.string().optional(),
  /** Type `class`. */
  class: guidRefSchema,
  /** Type `resource`. */
  resource: guidRefSchema,
});
export type ClassResource = z.infer<typeof classResourceSchema>;

/** A row of courseResources.csv: resource → course. */
export const courseResourceSchema = z.object({
  ...baseShape,
  title: z.string().optional(),
  /** Type `course`. */
  course: guidRefSchema,
  /** Type `resource`. */
  resource: guidRefSchema,
});
export type CourseResource = z.infer<typeof courseResourceSchema>;
