export * from './classroom-api.ts';
export {
  type ClassroomFetch,
  type ClassroomGradebookOptions,
  courseWorkMarker,
  createClassroomGradebook,
} from './classroom-gradebook.ts';
