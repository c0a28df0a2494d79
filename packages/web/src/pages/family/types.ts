/** The records of the families' routes, as the API's document types them. */
import type { paths } from '../../api/schema';

type Ok<P extends keyof paths, M extends 'get' | 'post' | 'put'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : paths[P][M] extends { responses: { 201: { content: { 'application/json': infer T } } } }
    ? T
    : never;

export type ChildNotice = Ok<'/schools/{schoolId}/students/{studentNo}/notices/{termId}', 'get'>;
export type Notice = ChildNotice['notice'];
export type OptOutForm = NonNullable<ChildNotice['form']>;
export type SignedOptOut = NonNullable<OptOutForm['optOut']>;
export type ChildSignature = NonNullable<SignedOptOut['childSignature']>;
export type Submission =
  paths['/schools/{schoolId}/terms/{termId}/optouts']['post']['requestBody']['content']['application/json'];
export type ReasonCategory = Submission['reason']['category'];
export type SchoolDay = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI';
export type ChildWeek = Ok<'/schools/{schoolId}/students/{studentNo}/week', 'get'>;
export type ChildDay = ChildWeek['days'][number];
export type HistoryPage = Ok<'/schools/{schoolId}/terms/{termId}/optouts/{studentNo}/history', 'get'>;
export type Participation = Ok<'/schools/{schoolId}/terms/{termId}/participation', 'get'>;
export type StudentCount = Participation['students']['term'];
export type TeacherCount = Participation['teachers']['term'];
export type DistrictParticipation = Ok<'/districts/{districtId}/participation', 'get'>;
export type DismissalList = Ok<'/schools/{schoolId}/dismissal', 'get'>;
export type HomeroomProgress = Ok<'/schools/{schoolId}/terms/{termId}/notice/progress', 'get'>['homerooms'][number];

export type InvitationPreview = Ok<'/invitations/{token}', 'get'>;
export type InvitationSheet = Ok<'/schools/{schoolId}/invitations', 'get'>;

export const SCHOOL_DAYS: readonly SchoolDay[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
export const REASONS: readonly ReasonCategory[] = ['family-care', 'other-activities', 'health', 'distance', 'cost', 'other'];
