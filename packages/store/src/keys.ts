/**
 * Every key and access pattern of the single table, declared once. Repositories build
 * keys only through these functions; nothing else writes "SCHOOL#" by hand.
 *
 * | pattern                         | pk / index pk                  | sk / index sk                 |
 * |---------------------------------|--------------------------------|-------------------------------|
 * | a school's profile              | SCHOOL#<s>                     | PROFILE                       |
 * | an entity of a school           | SCHOOL#<s>                     | <KIND>#<id>                   |
 * | entities of a kind in a school  | SCHOOL#<s>                     | begins_with <KIND>#           |
 * | a unique value in a school      | SCHOOL#<s>                     | UNIQUE#<what>#<value>         |
 * | versions of an entity           | HISTORY#<s>#<kind>#<id>        | AT#<instant>#V<000001>        |
 * | schools of a district           | byCollection DISTRICT#<d>      | SCHOOL#<s>                    |
 * | students of a grade (homeroom)  | byCollection SCHOOL#<s>#GRADE#<g> | HOMEROOM#<h>#<studentNo>   |
 * | records linked to an account    | byUser USER#<u>                | <KIND>#<s>#<id>               |
 * |   (in one school: the relations) | byUser USER#<u>                | begins_with <KIND>#<s>#       |
 * | a term's timetable versions     | SCHOOL#<s>                     | TIMETABLE#<t>#V<0001>         |
 * |   (each a summary; no sessions)  |                                |                               |
 * | a term's timetable head         | SCHOOL#<s>                     | TIMETABLE#<t>#HEAD            |
 * | the sessions of a version (a set) | TTSET#<s>#<set>              | S#<sessionId>                 |
 * | a publication's changes         | TTCHANGES#<s>#<set>            | C#<sessionId>                 |
 * | a term's published view: by session (a class: begins_with S#<classId>.) | TTVIEW#<s>#<t> | S#<sessionId> |
 * |   by day and grade              | TTVIEW#<s>#<t>                 | G#<day>#<grade 00>#<sessionId> |
 * | a staff member's published sessions, every term | byCollection ROSTER#<s>#<staffId> | TERM#<t>#<sessionId> |
 * | clubs of a term                 | byCollection SCHOOL#<s>#TERM#<t>#CLUB | CLUB#<id>              |
 * | a calendar feed, by its secret  | FEED#<sha256 of the token>     | FEED                          |
 * | the feed of a staff member      | SCHOOL#<s>                     | FEEDOF#<staffId>              |
 * | an idempotent request           | IDEMPOTENCY#<user>#<key>       | REQUEST                       |
 * | a bulk import                   | SCHOOL#<s>                     | IMPORT#<id>                   |
 * | the seat counter of a resource  | SEATS#<s>#<resource>           | COUNTER                       |
 * | a seat held                     | SEATS#<s>#<resource>           | CLAIM#<holder>                |
 * | seats of a resource, by arrival | byCollection SEATS#<s>#<resource> | CLAIM#<at>#<holder>        |
 * | a queued resource's tickets      | SEATS#<s>#<resource>           | QUEUE                         |
 * | a holder's place or wait in it  | SEATS#<s>#<resource>           | ENTRY#<holder>                |
 * |   a holder's entries (all resources) | byUser SEATHOLDER#<s>#<holder> | SEATS#<resource>          |
 * | the queued seats a holder holds (all resources) | SEATHELD#<s>#<holder> | HELD                     |
 * | its waitlist, by arrival ticket | SEATS#<s>#<resource>           | WAIT#<ticket 0000000000>      |
 * | its history                     | SEATS#<s>#<resource>           | EVENT#<at>#<step>#<ticket>#<holder>#<action> |
 * |   a holder's history (all resources) | byUser SEATHOLDER#<s>#<holder> | EVENT#<at>#<resource>#<action> |
 * | a term's selection window       | ENROL#<s>#<t>                  | WINDOW                        |
 * | a child's ranked choices        | ENROL#<s>#<t>                  | CHOICES#<studentNo>           |
 * | a teacher's approval of a child for a class | ENROL#<s>#<t>      | APPROVAL#<studentNo>#<classId> |
 * | a term's allocation: its head   | ENROL#<s>#<t>                  | ALLOCATION                    |
 * |   its lists, a page an item (a set) | ALLOCSET#<s>#<set>         | P#<list order><list>#<n 00000> |
 * |   a class published (resume)    | ALLOCSET#<s>#<set>             | DONE#<classId>#<n 000>        |
 * | a job (import, generation)      | SCHOOL#<s>                     | JOB#<KIND>#<id>               |
 * | jobs of a kind in a school      | SCHOOL#<s>                     | begins_with JOB#<KIND>#       |
 * | the one job running: an import  | SCHOOL#<s>                     | LOCK#import                   |
 * | … a generation of a term        | SCHOOL#<s>                     | LOCK#generate#<t>             |
 * | … a term's allocation (run, publish) | SCHOOL#<s>                | LOCK#allocation#<t>           |
 * | a part of a job's input (TTL)   | JOBPART#<s>#<job>#<n>          | PART                          |
 * | a term's notice                 | SCHOOL#<s>                     | NOTICE#<t>                    |
 * | a child's opt-out form of a term | OPTOUT#<s>#<t>                | FORM#<studentNo>              |
 * | the forms of a term             | OPTOUT#<s>#<t>                 | begins_with FORM#             |
 * | a child's notice opened         | OPTOUT#<s>#<t>                 | OPENED#<studentNo>            |
 * | late requests waiting, by arrival | byCollection OPTREQ#<s>#<t>  | REQ#<at>#<studentNo>          |
 * | a term's published sessions     | TTVIEW#<s>#<t>                 | begins_with S#                |
 * | a guardian's invitation (the latest) | SCHOOL#<s>                | INVITATION#<guardianId>       |
 * | an invitation, by its secret's hash (TTL) | INVITE#<sha256 of the secret> | INVITE                 |
 * | a school's sign-in settings     | SCHOOL#<s>                     | SIGNIN-SETTINGS               |
 * | a guardian's session (TTL)      | SESSION#<sessionId>            | SESSION                       |
 * |   sessions of an account        | byUser USER#<u>                | SESSION#<sessionId>           |
 * | a guardian's sign-in history    | SIGNIN#<s>#<guardianId>        | AT#<instant>#<id>             |
 * | a dated session's attendance    | ATTEND#<s>#<date>              | SHEET#<sessionId>             |
 * |   the sheets of a date          | ATTEND#<s>#<date>              | begins_with SHEET#            |
 * |   the sheets of a month (hours) | byCollection ATTENDMONTH#<s>#<yyyy-MM> | <date>#<sessionId>    |
 * |   a staff member's sheets (their hours) | byUser STAFFSHEETS#<s>#<staffId> | <date>#<sessionId>   |
 * | a sheet's history of marks      | ATTENDLOG#<s>#<date>#<sessionId> | V<000001>                   |
 */
import { DRAFT_LISTS, type DraftList, type JobKind, type RecordKind } from '@kehou/domain';

export interface Key {
  pk: string;
  sk: string;
}

export const ENTITY_KINDS = ['grade', 'room', 'term', 'staff', 'student', 'guardian', 'club', 'timetable', 'notice'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

const tag = (kind: EntityKind) => kind.toUpperCase();

export const keys = {
  school: (schoolId: string): Key => ({ pk: `SCHOOL#${schoolId}`, sk: 'PROFILE' }),
  entity: (schoolId: string, kind: EntityKind, id: string): Key => ({ pk: `SCHOOL#${schoolId}`, sk: `${tag(kind)}#${id}` }),
  entitiesOf: (schoolId: string, kind: EntityKind) => ({ pk: `SCHOOL#${schoolId}`, skPrefix: `${tag(kind)}#` }),
  unique: (schoolId: string, what: string, value: string): Key => ({ pk: `SCHOOL#${schoolId}`, sk: `UNIQUE#${what}#${value}` }),
  /** ordered by time, then version: an id that is deleted and made again keeps one history */
  history: (schoolId: string, kind: RecordKind, id: string, at: string, version: number): Key => ({
    pk: `HISTORY#${schoolId}#${kind}#${id}`,
    sk: `AT#${at}#V${String(version).padStart(6, '0')}`,
  }),
  historyOf: (schoolId: string, kind: RecordKind, id: string) => ({
    pk: `HISTORY#${schoolId}#${kind}#${id}`,
    skPrefix: 'AT#',
  }),
  timetableHead: (schoolId: string, termId: string): Key => ({ pk: `SCHOOL#${schoolId}`, sk: `TIMETABLE#${termId}#HEAD` }),
  timetableVersionsOf: (schoolId: string, termId: string) => ({ pk: `SCHOOL#${schoolId}`, skPrefix: `TIMETABLE#${termId}#V` }),
  /** a version's sessions live in a set of their own, written before the version points at it */
  timetableSession: (schoolId: string, setId: string, sessionId: string): Key => ({
    pk: `TTSET#${schoolId}#${setId}`,
    sk: `S#${sessionId}`,
  }),
  timetableSessionsOf: (schoolId: string, setId: string) => ({ pk: `TTSET#${schoolId}#${setId}`, skPrefix: 'S#' }),
  timetableChange: (schoolId: string, setId: string, sessionId: string): Key => ({
    pk: `TTCHANGES#${schoolId}#${setId}`,
    sk: `C#${sessionId}`,
  }),
  timetableChangesOf: (schoolId: string, setId: string) => ({ pk: `TTCHANGES#${schoolId}#${setId}`, skPrefix: 'C#' }),
  /** the published view of a term (read models written at publication), every item of it */
  publishedViewOf: (schoolId: string, termId: string) => ({ pk: `TTVIEW#${schoolId}#${termId}` }),
  publishedSession: (schoolId: string, termId: string, sessionId: string): Key => ({
    pk: `TTVIEW#${schoolId}#${termId}`,
    sk: `S#${sessionId}`,
  }),
  /** a class's published sessions: its session ids are "<classId>.<n>" */
  publishedSessionsOfClass: (schoolId: string, termId: string, classId: string) => ({
    pk: `TTVIEW#${schoolId}#${termId}`,
    skPrefix: `S#${classId}.`,
  }),
  publishedByDayGrade: (schoolId: string, termId: string, day: string, grade: number, sessionId: string): Key => ({
    pk: `TTVIEW#${schoolId}#${termId}`,
    sk: `G#${day}#${String(grade).padStart(2, '0')}#${sessionId}`,
  }),
  /** a day's published sessions, of one grade or (a session once per grade) of every grade */
  publishedOfDay: (schoolId: string, termId: string, day: string, grade?: number) => ({
    pk: `TTVIEW#${schoolId}#${termId}`,
    skPrefix: grade === undefined ? `G#${day}#` : `G#${day}#${String(grade).padStart(2, '0')}#`,
  }),
  /** every session of a term's published view, once each */
  publishedSessionsOf: (schoolId: string, termId: string) => ({ pk: `TTVIEW#${schoolId}#${termId}`, skPrefix: 'S#' }),
  /** a term's forms share a partition of their own, apart from the school's records */
  optOutForm: (schoolId: string, termId: string, studentNo: string): Key => ({
    pk: `OPTOUT#${schoolId}#${termId}`,
    sk: `FORM#${studentNo}`,
  }),
  optOutFormsOf: (schoolId: string, termId: string) => ({ pk: `OPTOUT#${schoolId}#${termId}`, skPrefix: 'FORM#' }),
  noticeOpened: (schoolId: string, termId: string, studentNo: string): Key => ({
    pk: `OPTOUT#${schoolId}#${termId}`,
    sk: `OPENED#${studentNo}`,
  }),
  noticesOpenedOf: (schoolId: string, termId: string) => ({ pk: `OPTOUT#${schoolId}#${termId}`, skPrefix: 'OPENED#' }),
  feed: (tokenHash: string): Key => ({ pk: `FEED#${tokenHash}`, sk: 'FEED' }),
  feedOf: (schoolId: string, staffId: string): Key => ({ pk: `SCHOOL#${schoolId}`, sk: `FEEDOF#${staffId}` }),
  idempotency: (userId: string, key: string): Key => ({ pk: `IDEMPOTENCY#${userId}#${key}`, sk: 'REQUEST' }),
  /** a resource with a capacity (club places, shift slots): its counter and its claims share a partition */
  seatCounter: (schoolId: string, resource: string): Key => ({ pk: `SEATS#${schoolId}#${resource}`, sk: 'COUNTER' }),
  seatClaim: (schoolId: string, resource: string, holder: string): Key => ({
    pk: `SEATS#${schoolId}#${resource}`,
    sk: `CLAIM#${holder}`,
  }),
  /** a queued resource's sequencer: `issued` arrival tickets, `line` (tickets up to it are admitted) */
  seatQueue: (schoolId: string, resource: string): Key => ({ pk: `SEATS#${schoolId}#${resource}`, sk: 'QUEUE' }),
  seatEntry: (schoolId: string, resource: string, holder: string): Key => ({
    pk: `SEATS#${schoolId}#${resource}`,
    sk: `ENTRY#${holder}`,
  }),
  seatWait: (schoolId: string, resource: string, ticket: number): Key => ({
    pk: `SEATS#${schoolId}#${resource}`,
    sk: `WAIT#${String(ticket).padStart(10, '0')}`,
  }),
  seatWaitsOf: (schoolId: string, resource: string) => ({ pk: `SEATS#${schoolId}#${resource}`, skPrefix: 'WAIT#' }),
  /** every holder's place or wait in a queued resource (a class's children, read at once) */
  seatEntriesOf: (schoolId: string, resource: string) => ({ pk: `SEATS#${schoolId}#${resource}`, skPrefix: 'ENTRY#' }),
  /** the queued resources a holder has a seat in (`held`, a string set), written with each seat taken or left */
  seatHoldings: (schoolId: string, holder: string): Key => ({ pk: `SEATHELD#${schoolId}#${holder}`, sk: 'HELD' }),
  /** `step`, `arrival`: the order of the events of one change (a leave before the promotions it makes, those by ticket) */
  seatEvent: (
    schoolId: string,
    resource: string,
    at: string,
    step: number,
    arrival: number,
    holder: string,
    action: string,
  ): Key => ({
    pk: `SEATS#${schoolId}#${resource}`,
    sk: `EVENT#${at}#${step}#${String(arrival).padStart(10, '0')}#${holder}#${action}`,
  }),
  seatEventsOf: (schoolId: string, resource: string) => ({ pk: `SEATS#${schoolId}#${resource}`, skPrefix: 'EVENT#' }),
  enrolWindow: (schoolId: string, termId: string): Key => ({ pk: `ENROL#${schoolId}#${termId}`, sk: 'WINDOW' }),
  enrolChoices: (schoolId: string, termId: string, studentNo: string): Key => ({
    pk: `ENROL#${schoolId}#${termId}`,
    sk: `CHOICES#${studentNo}`,
  }),
  enrolChoicesOf: (schoolId: string, termId: string) => ({ pk: `ENROL#${schoolId}#${termId}`, skPrefix: 'CHOICES#' }),
  enrolAllocation: (schoolId: string, termId: string): Key => ({ pk: `ENROL#${schoolId}#${termId}`, sk: 'ALLOCATION' }),
  enrolApproval: (schoolId: string, termId: string, studentNo: string, classId: string): Key => ({
    pk: `ENROL#${schoolId}#${termId}`,
    sk: `APPROVAL#${studentNo}#${classId}`,
  }),
  /** a child's approvals, or (no child) every approval of the term */
  enrolApprovalsOf: (schoolId: string, termId: string, studentNo?: string) => ({
    pk: `ENROL#${schoolId}#${termId}`,
    skPrefix: studentNo === undefined ? 'APPROVAL#' : `APPROVAL#${studentNo}#`,
  }),
  /** the pages of an allocation's lists live in a set of their own, written before the head points at it */
  allocationPage: (schoolId: string, setId: string, list: DraftList, n: number): Key => ({
    pk: `ALLOCSET#${schoolId}#${setId}`,
    sk: `P#${DRAFT_LISTS.indexOf(list)}${list}#${String(n).padStart(5, '0')}`,
  }),
  /** a class's outcome when it was published (its grants not honoured), a page an item */
  allocationDone: (schoolId: string, setId: string, classId: string, n: number): Key => ({
    pk: `ALLOCSET#${schoolId}#${setId}`,
    sk: `DONE#${classId}#${String(n).padStart(3, '0')}`,
  }),
  allocationPagesOf: (schoolId: string, setId: string) => ({ pk: `ALLOCSET#${schoolId}#${setId}`, skPrefix: 'P#' }),
  allocationDoneOf: (schoolId: string, setId: string) => ({ pk: `ALLOCSET#${schoolId}#${setId}`, skPrefix: 'DONE#' }),
  allocationSet: (schoolId: string, setId: string) => ({ pk: `ALLOCSET#${schoolId}#${setId}` }),
  job: (schoolId: string, kind: JobKind, jobId: string): Key => ({
    pk: `SCHOOL#${schoolId}`,
    sk: `JOB#${kind.toUpperCase()}#${jobId}`,
  }),
  jobsOf: (schoolId: string, kind: JobKind) => ({ pk: `SCHOOL#${schoolId}`, skPrefix: `JOB#${kind.toUpperCase()}#` }),
  jobLock: (schoolId: string, name: string): Key => ({ pk: `SCHOOL#${schoolId}`, sk: `LOCK#${name}` }),
  /** each part in a partition of its own: a job's input is written at once, not into one hot partition */
  jobPart: (schoolId: string, jobId: string, n: number): Key => ({ pk: `JOBPART#${schoolId}#${jobId}#${n}`, sk: 'PART' }),
  invitation: (schoolId: string, guardianId: string): Key => ({ pk: `SCHOOL#${schoolId}`, sk: `INVITATION#${guardianId}` }),
  /** where a link leads: the invitation it was made for (a link replaced by a newer one still says so) */
  invitationLink: (tokenHash: string): Key => ({ pk: `INVITE#${tokenHash}`, sk: 'INVITE' }),
  signInSettings: (schoolId: string): Key => ({ pk: `SCHOOL#${schoolId}`, sk: 'SIGNIN-SETTINGS' }),
  session: (sessionId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' }),
  signInEvent: (schoolId: string, guardianId: string, at: string, id: string): Key => ({
    pk: `SIGNIN#${schoolId}#${guardianId}`,
    sk: `AT#${at}#${id}`,
  }),
  signInEventsOf: (schoolId: string, guardianId: string) => ({ pk: `SIGNIN#${schoolId}#${guardianId}`, skPrefix: 'AT#' }),
  attendanceSheet: (schoolId: string, date: string, sessionId: string): Key => ({
    pk: `ATTEND#${schoolId}#${date}`,
    sk: `SHEET#${sessionId}`,
  }),
  attendanceSheetsOf: (schoolId: string, date: string) => ({ pk: `ATTEND#${schoolId}#${date}`, skPrefix: 'SHEET#' }),
  attendanceEntry: (schoolId: string, date: string, sessionId: string, version: number): Key => ({
    pk: `ATTENDLOG#${schoolId}#${date}#${sessionId}`,
    sk: `V${String(version).padStart(6, '0')}`,
  }),
  attendanceEntriesOf: (schoolId: string, date: string, sessionId: string) => ({
    pk: `ATTENDLOG#${schoolId}#${date}#${sessionId}`,
    skPrefix: 'V',
  }),
} as const;

/** Secondary-index attributes, by access pattern. */
export const indexKeys = {
  schoolInDistrict: (districtId: string, schoolId: string) => ({ colPk: `DISTRICT#${districtId}`, colSk: `SCHOOL#${schoolId}` }),
  schoolsOfDistrict: (districtId: string) => ({
    index: 'byCollection' as const,
    pk: `DISTRICT#${districtId}`,
    skPrefix: 'SCHOOL#',
  }),
  studentInGrade: (schoolId: string, gradeLevel: number, homeroom: string, studentNo: string) => ({
    colPk: `SCHOOL#${schoolId}#GRADE#${gradeLevel}`,
    colSk: `HOMEROOM#${homeroom}#${studentNo}`,
  }),
  studentsOfGrade: (schoolId: string, gradeLevel: number, homeroom?: string) => ({
    index: 'byCollection' as const,
    pk: `SCHOOL#${schoolId}#GRADE#${gradeLevel}`,
    skPrefix: homeroom === undefined ? 'HOMEROOM#' : `HOMEROOM#${homeroom}#`,
  }),
  clubInTerm: (schoolId: string, termId: string, clubId: string) => ({
    colPk: `SCHOOL#${schoolId}#TERM#${termId}#CLUB`,
    colSk: `CLUB#${clubId}`,
  }),
  clubsOfTerm: (schoolId: string, termId: string) => ({
    index: 'byCollection' as const,
    pk: `SCHOOL#${schoolId}#TERM#${termId}#CLUB`,
    skPrefix: 'CLUB#',
  }),
  linkedToUser: (userId: string, schoolId: string, kind: EntityKind, id: string) => ({
    userPk: `USER#${userId}`,
    userSk: `${tag(kind)}#${schoolId}#${id}`,
  }),
  /** a published session in its staff member's roster, across the terms of the school */
  rosterEntry: (schoolId: string, staffId: string, termId: string, sessionId: string) => ({
    colPk: `ROSTER#${schoolId}#${staffId}`,
    colSk: `TERM#${termId}#${sessionId}`,
  }),
  rosterOf: (schoolId: string, staffId: string, termId?: string) => ({
    index: 'byCollection' as const,
    pk: `ROSTER#${schoolId}#${staffId}`,
    skPrefix: termId === undefined ? 'TERM#' : `TERM#${termId}#`,
  }),
  seatClaimArrival: (schoolId: string, resource: string, at: string, holder: string) => ({
    colPk: `SEATS#${schoolId}#${resource}`,
    colSk: `CLAIM#${at}#${holder}`,
  }),
  seatClaimsByArrival: (schoolId: string, resource: string) => ({
    index: 'byCollection' as const,
    pk: `SEATS#${schoolId}#${resource}`,
    skPrefix: 'CLAIM#',
  }),
  /** a holder's entry in a queued resource, listed with their others (a child's classes) */
  seatEntryOfHolder: (schoolId: string, holder: string, resource: string) => ({
    userPk: `SEATHOLDER#${schoolId}#${holder}`,
    userSk: `SEATS#${resource}`,
  }),
  seatEntriesOfHolder: (schoolId: string, holder: string) => ({
    index: 'byUser' as const,
    pk: `SEATHOLDER#${schoolId}#${holder}`,
    skPrefix: 'SEATS#',
  }),
  /** a line of a queued resource's history, listed with the holder's others (a child's history across classes) */
  seatEventOfHolder: (schoolId: string, holder: string, at: string, resource: string, action: string) => ({
    userPk: `SEATHOLDER#${schoolId}#${holder}`,
    userSk: `EVENT#${at}#${resource}#${action}`,
  }),
  seatEventsOfHolder: (schoolId: string, holder: string) => ({
    index: 'byUser' as const,
    pk: `SEATHOLDER#${schoolId}#${holder}`,
    skPrefix: 'EVENT#',
  }),
  /** a form with a late request waiting for the school's decision (the index attributes go when it is decided) */
  pendingRequest: (schoolId: string, termId: string, at: string, studentNo: string) => ({
    colPk: `OPTREQ#${schoolId}#${termId}`,
    colSk: `REQ#${at}#${studentNo}`,
  }),
  pendingRequestsOf: (schoolId: string, termId: string) => ({
    index: 'byCollection' as const,
    pk: `OPTREQ#${schoolId}#${termId}`,
    skPrefix: 'REQ#',
  }),
  sessionOfUser: (userId: string, sessionId: string) => ({ userPk: `USER#${userId}`, userSk: `SESSION#${sessionId}` }),
  sessionsOfUser: (userId: string) => ({ index: 'byUser' as const, pk: `USER#${userId}`, skPrefix: 'SESSION#' }),
  /** a sheet of attendance under its month, for the hours of the month */
  attendanceInMonth: (schoolId: string, date: string, sessionId: string) => ({
    colPk: `ATTENDMONTH#${schoolId}#${date.slice(0, 7)}`,
    colSk: `${date}#${sessionId}`,
  }),
  attendanceOfMonth: (schoolId: string, month: string) => ({
    index: 'byCollection' as const,
    pk: `ATTENDMONTH#${schoolId}#${month}`,
    skPrefix: `${month}-`,
  }),
  /** a sheet of attendance under its staff member, for their own hours of a month */
  attendanceOfStaffMember: (schoolId: string, staffId: string, date: string, sessionId: string) => ({
    userPk: `STAFFSHEETS#${schoolId}#${staffId}`,
    userSk: `${date}#${sessionId}`,
  }),
  attendanceOfStaffMonth: (schoolId: string, staffId: string, month: string) => ({
    index: 'byUser' as const,
    pk: `STAFFSHEETS#${schoolId}#${staffId}`,
    skPrefix: `${month}-`,
  }),
  /** in every school, or in one */
  recordsOfUser: (userId: string, kind: EntityKind, schoolId?: string) => ({
    index: 'byUser' as const,
    pk: `USER#${userId}`,
    skPrefix: schoolId === undefined ? `${tag(kind)}#` : `${tag(kind)}#${schoolId}#`,
  }),
} as const;

/** Attributes that are keys, never part of an entity handed to callers. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'colPk', 'colSk', 'userPk', 'userSk', 'expiresAt', 'type'] as const;
