/** The records these pages show, as the API's document types them. */
import type { paths } from '../../api/schema';

type Got<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } }
  ? T
  : never;
type ItemOf<P extends keyof paths> = Got<P> extends { items: Array<infer T> } ? T : never;

export type Student = Got<'/schools/{schoolId}/students/{studentNo}'>;
export type Guardian = Got<'/schools/{schoolId}/guardians/{guardianId}'>;
export type Club = Got<'/schools/{schoolId}/clubs/{clubId}'>;
export type ClubClass = Club['classes'][number];
export type Term = ItemOf<'/schools/{schoolId}/terms'>;
export type Grade = ItemOf<'/schools/{schoolId}/grades'>;
export type StaffMember = ItemOf<'/schools/{schoolId}/staff'>;
export type ImportJob = Got<'/schools/{schoolId}/imports/{importId}'>;
/** What a set-up import (rooms, staff, clubs) answers: counts, and every record the file names with its rows. */
export type SetupImportResult =
  paths['/schools/{schoolId}/rooms/import']['post']['responses'][200]['content']['application/json'];
