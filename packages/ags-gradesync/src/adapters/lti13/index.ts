export {
  courseServicesOf,
  createLtiGradebook,
  type LtiCourseServices,
  type LtiGradebookOptions,
  launchRecordOf,
} from './lti-gradebook.ts';
export { parseRetryAfter, translateLtiError } from './translate-lti-error.ts';
