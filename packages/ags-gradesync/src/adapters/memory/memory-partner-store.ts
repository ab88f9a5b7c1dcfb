import type { PartnerAssignment, PartnerGradebookStore, PartnerSubmission } from '../../ports.ts';

/** Partner assignments and submissions in memory. */
export function createMemoryPartnerStore(): PartnerGradebookStore {
  const assignments = new Map<string, PartnerAssignment>();
  const submissions = new Map<string, Map<string, PartnerSubmission>>();
  return {
    async saveAssignment(assignment) {
      assignments.set(assignment.id, assignment);
    },
    async getAssignment(id) {
      return assignments.get(id);
    },
    async listAssignments(filter) {
      return [...assignments.values()]
        .filter(
          (assignment) =>
            assignment.appId === filter.appId &&
            (filter.classId === undefined || assignment.classId === filter.classId),
        )
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    },
    async saveSubmission(submission) {
      let users = submissions.get(submission.assignmentId);
      if (users === undefined) {
        users = new Map();
        submissions.set(submission.assignmentId, users);
      }
      users.set(submission.userId, submission);
    },
    async listSubmissions(assignmentId) {
      return [...(submissions.get(assignmentId)?.values() ?? [])].sort((a, b) =>
        a.userId.localeCompare(b.userId),
      );
    },
  };
}
