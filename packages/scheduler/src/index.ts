// @kehou/scheduler: the timetable solver for "5+2" after-school clubs. Pure: no I/O, no
// clock, no global state; the CLI (src/cli) and the benchmark (bench/) do the I/O.

export { AnswerSchema, ClassSchema, GradeSchema, InstanceSchema, RefusalSchema, RoomSchema, SessionSchema, StaffSchema, StudentSchema, TimetableSchema } from './schema';
export type { Answer, ClassSpec, Day, Grade, Instance, Refusal, Room, Session, Staff, StaffKind, Student, Timetable } from './schema';
export { AnswerError, InputError, InstanceError, parseInstance, type Issue } from './parse';
export { check, checkWith, readAnswer, verdict, type AnswerInput, type CheckOptions, type CheckResult } from './check/check';
export { compileCheckModel, type CheckModel } from './check/model';
export type { RuleName, Violation } from './check/rules';
export { solve, SolverBug, type SolveOptions, type SolveResult, type SolveStats } from './solver/solve';
export type { Culprit, CulpritKind } from './solver/proofs';
export { diffSessions, type Change, type SessionDiff } from './diff';
export { generateInstance, generateSchool, type GenerateOptions, type GeneratedSchool } from './generate/generate';
export { formatHHMM, parseHHMM, WEEK } from './time';
export { consecutiveDaysBound, type ConsecutiveDaysBound, type ForcedPairs } from './solver/bounds';
