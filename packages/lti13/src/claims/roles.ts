/**
 * LTI 1.3 role vocabularies (LTI 1.3 core, appendix A.2): system, institution and context (membership) roles, the
 * context sub-roles, and the short forms platforms still send (`Instructor`, `Learner`: deprecated simple names that
 * stand for context roles; Moodle's names and roles service answers with them).
 */

export const roleVocabularies = {
  system: 'http://purl.imsglobal.org/vocab/lis/v2/system/person#',
  ltiSystem: 'http://purl.imsglobal.org/vocab/lti/system/person#',
  institution: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#',
  context: 'http://purl.imsglobal.org/vocab/lis/v2/membership#',
  contextSubRole: 'http://purl.imsglobal.org/vocab/lis/v2/membership/',
} as const;

export const systemRoleNames = [
  'Administrator',
  'None',
  'AccountAdmin',
  'Creator',
  'SysAdmin',
  'SysSupport',
  'User',
] as const;

export const institutionRoleNames = [
  'Administrator',
  'Faculty',
  'Guest',
  'None',
  'Other',
  'Staff',
  'Student',
  'Alumni',
  'Instructor',
  'Learner',
  'Member',
  'Mentor',
  'Observer',
  'ProspectiveStudent',
] as const;

export const contextRoleNames = [
  'Administrator',
  'ContentDeveloper',
  'Instructor',
  'Learner',
  'Mentor',
  'Manager',
  'Member',
  'Officer',
] as const;

export type ContextRoleName = (typeof contextRoleNames)[number];

export const contextSubRoleNames: Readonly<Record<ContextRoleName, readonly string[]>> = {
  Administrator: [
    'Administrator',
    'Developer',
    'ExternalDeveloper',
    'ExternalSupport',
    'ExternalSystemAdministrator',
    'Support',
    'SystemAdministrator',
  ],
  ContentDeveloper: ['ContentDeveloper', 'ContentExpert', 'ExternalContentExpert', 'Librarian'],
  Instructor: [
    'ExternalInstructor',
    'Grader',
    'GuestInstructor',
    'Lecturer',
    'PrimaryInstructor',
    'SecondaryInstructor',
    'TeachingAssistant',
    'TeachingAssistantGroup',
    'TeachingAssistantOffering',
    'TeachingAssistantSection',
    'TeachingAssistantSectionAssociation',
    'TeachingAssistantTemplate',
  ],
  Learner: ['ExternalLearner', 'GuestLearner', 'Learner', 'NonCreditLearner'],
  Manager: ['AreaManager', 'CourseCoordinator', 'ExternalObserver', 'Manager', 'Observer'],
  Member: ['Member'],
  Mentor: [
    'Advisor',
    'Auditor',
    'ExternalAdvisor',
    'ExternalAuditor',
    'ExternalLearningFacilitator',
    'ExternalMentor',
    'ExternalReviewer',
    'ExternalTutor',
    'LearningFacilitator',
    'Mentor',
    'Reviewer',
    'Tutor',
  ],
  Officer: ['Chair', 'Communications', 'Secretary', 'Treasurer', 'Vice-Chair'],
};

export type RoleKind = 'system' | 'institution' | 'context' | 'unknown';

export interface Role {
  /** The value exactly as the platform sent it. */
  readonly value: string;
  /** The full URI: the value itself, or the URI a short form stands for. */
  readonly uri: string;
  readonly kind: RoleKind;
  /** The role name (`Instructor`); for a sub-role, the parent role (`Instructor` for `Instructor#TeachingAssistant`). */
  readonly name: string;
  /** The sub-role (`TeachingAssistant`), when the value is a context sub-role. */
  readonly subRole?: string;
  /** True when the name belongs to the LTI vocabulary; unknown role URIs are kept, not refused. */
  readonly known: boolean;
  /** True when the platform sent a short form or an LTI 1.1 URN instead of the full URI. */
  readonly shortForm: boolean;
}

const legacyPrefixes: ReadonlyArray<readonly [string, RoleKind]> = [
  ['urn:lti:role:ims/lis/', 'context'],
  ['urn:lti:instrole:ims/lis/', 'institution'],
  ['urn:lti:sysrole:ims/lis/', 'system'],
];

function fromName(value: string, kind: RoleKind, name: string, shortForm: boolean): Role {
  const base =
    kind === 'system'
      ? roleVocabularies.system
      : kind === 'institution'
        ? roleVocabularies.institution
        : roleVocabularies.context;
  const [parent, sub] = name.split('/') as [string, string | undefined];
  if (kind === 'context' && sub !== undefined) {
    const known = isContextRole(parent) && contextSubRoleNames[parent].includes(sub);
    return {
      value,
      uri: `${roleVocabularies.contextSubRole}${parent}#${sub}`,
      kind,
      name: parent,
      subRole: sub,
      known,
      shortForm,
    };
  }
  return { value, uri: `${base}${name}`, kind, name, known: isKnown(kind, name), shortForm };
}

function isContextRole(name: string): name is ContextRoleName {
  return (contextRoleNames as readonly string[]).includes(name);
}

function isKnown(kind: RoleKind, name: string): boolean {
  if (kind === 'context') return isContextRole(name);
  if (kind === 'institution') return (institutionRoleNames as readonly string[]).includes(name);
  if (kind === 'system') return (systemRoleNames as readonly string[]).includes(name) || name === 'TestUser';
  return false;
}

/**
 * Reads one role value: a full URI from any LTI vocabulary, a context sub-role URI, a short form (`Learner`), or an
 * LTI 1.1 URN. Returns `undefined` for an empty string (the certification suite sends `[""]` for "no role").
 */
export function parseRole(value: string): Role | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith(roleVocabularies.context)) {
    return fromName(value, 'context', trimmed.slice(roleVocabularies.context.length), false);
  }
  if (trimmed.startsWith(roleVocabularies.contextSubRole)) {
    const [parent = '', sub = ''] = trimmed.slice(roleVocabularies.contextSubRole.length).split('#');
    const known = isContextRole(parent) && contextSubRoleNames[parent].includes(sub);
    return { value, uri: trimmed, kind: 'context', name: parent, subRole: sub, known, shortForm: false };
  }
  if (trimmed.startsWith(roleVocabularies.institution)) {
    return fromName(value, 'institution', trimmed.slice(roleVocabularies.institution.length), false);
  }
  if (trimmed.startsWith(roleVocabularies.system)) {
    return fromName(value, 'system', trimmed.slice(roleVocabularies.system.length), false);
  }
  if (trimmed.startsWith(roleVocabularies.ltiSystem)) {
    const name = trimmed.slice(roleVocabularies.ltiSystem.length);
    return { value, uri: trimmed, kind: 'system', name, known: name === 'TestUser', shortForm: false };
  }
  for (const [prefix, kind] of legacyPrefixes) {
    if (trimmed.startsWith(prefix)) return fromName(value, kind, trimmed.slice(prefix.length), true);
  }
  if (/^[A-Za-z][A-Za-z-]*$/.test(trimmed)) {
    // A simple name stands for a context role (LTI 1.3 §A.2.3, deprecated but sent by Moodle and others).
    const role = fromName(value, 'context', trimmed, true);
    if (role.known) return role;
    return { value, uri: trimmed, kind: 'unknown', name: trimmed, known: false, shortForm: true };
  }
  const hash = trimmed.lastIndexOf('#');
  return {
    value,
    uri: trimmed,
    kind: 'unknown',
    name: hash >= 0 ? trimmed.slice(hash + 1) : trimmed,
    known: false,
    shortForm: false,
  };
}

/** Parses a roles claim, dropping empty strings. */
export function parseRoles(values: readonly string[]): Role[] {
  const roles: Role[] = [];
  for (const value of values) {
    const role = parseRole(value);
    if (role !== undefined) roles.push(role);
  }
  return roles;
}

/** The full URI of a context role (`contextRoleUri('Instructor')`). */
export function contextRoleUri(name: ContextRoleName, subRole?: string): string {
  return subRole === undefined
    ? `${roleVocabularies.context}${name}`
    : `${roleVocabularies.contextSubRole}${name}#${subRole}`;
}

/** True when one of the roles is the context role `name` (or one of its sub-roles). */
export function hasContextRole(roles: readonly Role[], name: ContextRoleName): boolean {
  return roles.some((role) => role.kind === 'context' && role.name === name);
}

/** Instructors, teaching assistants and content developers of the context, or administrators of it. */
export function isInstructor(roles: readonly Role[]): boolean {
  return (
    hasContextRole(roles, 'Instructor') ||
    hasContextRole(roles, 'Administrator') ||
    hasContextRole(roles, 'ContentDeveloper')
  );
}

export function isLearner(roles: readonly Role[]): boolean {
  return hasContextRole(roles, 'Learner');
}
