/**
 * resources.csv, courseResources.csv and classResources.csv: a small catalogue of learning apps by subject; every
 * course of a subject in the catalogue links its app, and one class in ten links it too.
 */
import type { CsvRow } from '../../csv/dataset.ts';
import { eachClass, eachCourse } from '../each.ts';
import type { DistrictPlan } from '../plan.ts';

interface ResourcePlan {
  sourcedId: string;
  vendorResourceId: string;
  title: string;
  roles: string;
  importance: 'primary' | 'secondary';
  vendorId: string;
  applicationId: string;
  subject: string;
}

const catalogue: readonly ResourcePlan[] = [
  ['English Language Arts', 'READ-LIB', 'Reading Library', 'vendor-brightpage'],
  ['Mathematics', 'MATH-PRACTICE', 'Adaptive Math Practice', 'vendor-numberline'],
  ['Science', 'SCI-SIM', 'Science Simulations', 'vendor-labworks'],
  ['Social Studies', 'PRIMARY-SOURCES', 'Primary Sources, Annotated', 'vendor-archivio'],
  ['World Languages', 'LANG-DRILL', 'Language Drills', 'vendor-parlons'],
  ['Computer Science', 'CODE-STUDIO', 'Code Studio', 'vendor-bytecamp'],
  ['Fine Arts', 'ART-GALLERY', 'Virtual Gallery', 'vendor-easel'],
].map(([subject = '', vendorResourceId = '', title = '', vendorId = ''], index) => ({
  sourcedId: `resource-${index + 1}`,
  vendorResourceId,
  title,
  roles: 'student,teacher',
  importance: index < 3 ? 'primary' : 'secondary',
  vendorId,
  applicationId: `${vendorId.replace('vendor-', '')}-app`,
  subject,
}));

const resourceBySubject = new Map(catalogue.map((resource) => [resource.subject, resource]));

export function* resourceRows(): Generator<CsvRow> {
  for (const resource of catalogue) {
    yield {
      sourcedId: resource.sourcedId,
      status: '',
      dateLastModified: '',
      vendorResourceId: resource.vendorResourceId,
      title: resource.title,
      roles: resource.roles,
      importance: resource.importance,
      vendorId: resource.vendorId,
      applicationId: resource.applicationId,
    };
  }
}

export function* courseResourceRows(plan: DistrictPlan): Generator<CsvRow> {
  for (const { course } of eachCourse(plan)) {
    const resource = resourceBySubject.get(course.definition.subject);
    if (resource === undefined) continue;
    yield {
      sourcedId: `course-resource-${course.number}`,
      status: '',
      dateLastModified: '',
      title: resource.title,
      courseSourcedId: course.sourcedId,
      resourceSourcedId: resource.sourcedId,
    };
  }
}

export function* classResourceRows(plan: DistrictPlan): Generator<CsvRow> {
  for (const slot of eachClass(plan)) {
    const resource = resourceBySubject.get(slot.course.definition.subject);
    if (resource === undefined || slot.number % 10 !== 1) continue;
    yield {
      sourcedId: `class-resource-${slot.number}`,
      status: '',
      dateLastModified: '',
      title: resource.title,
      classSourcedId: slot.sourcedId,
      resourceSourcedId: resource.sourcedId,
    };
  }
}
