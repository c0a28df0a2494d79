import { describe, expect, it } from 'vitest';
import type { Instance } from '../src/index';
import { compileSolverModel } from '../src/solver/model';
import {
  enoughDays,
  enoughStaffedDays,
  fixedStaffHasSkill,
  fixedStaffHasTime,
  proveInfeasible,
  roomBigEnough,
  roomsHaveTime,
  roomWithFeaturesExists,
  skillExists,
  skillHasTime,
  studentsFit,
} from '../src/solver/proofs';
import { tinySchool, tinyWith } from './fixtures';

// Each necessary condition alone: an instance that breaks it (with the culprit it names)
// and the tiny school, which breaks none.

type Proof = typeof skillExists;
const run = (proof: Proof, inst: Instance) => proof(compileSolverModel(inst));
const chess = (i: Instance) => i.classes[0] as Instance['classes'][number];
const dance = (i: Instance) => i.classes[1] as Instance['classes'][number];

describe('necessary conditions', () => {
  it.each([skillExists, fixedStaffHasSkill, roomWithFeaturesExists, roomBigEnough, enoughDays, enoughStaffedDays, fixedStaffHasTime, skillHasTime, roomsHaveTime, studentsFit])(
    '%o holds for the tiny school',
    (proof) => {
      expect(run(proof, tinySchool())).toBeNull();
    },
  );

  it('skillExists names the skill nobody has', () => {
    const r = run(skillExists, tinyWith((i) => (chess(i).skill = 'erhu')));
    expect(r).toEqual({ reason: "class chess-basic-1 needs skill 'erhu' that no staff member has", culprit: { kind: 'skill', id: 'erhu' } });
  });

  it('fixedStaffHasSkill names the fixed staff member who lacks the skill', () => {
    const r = run(fixedStaffHasSkill, tinyWith((i) => (dance(i).staff = 'v001')));
    expect(r?.culprit).toEqual({ kind: 'staff', id: 'v001' });
    expect(r?.reason).toContain("lacks skill 'street-dance'");
  });

  it('roomWithFeaturesExists names the class needing a feature no room has', () => {
    const r = run(roomWithFeaturesExists, tinyWith((i) => (dance(i).roomFeatures = ['dance', 'kiln'])));
    expect(r?.culprit).toEqual({ kind: 'class', id: 'street-dance-basic-1' });
    expect(r?.reason).toContain("'kiln'");
  });

  it('roomBigEnough names the largest room, too small', () => {
    const r = run(roomBigEnough, tinyWith((i) => (chess(i).size = 60)));
    expect(r?.culprit).toEqual({ kind: 'room', id: 'room-1' });
    expect(r?.reason).toContain('60 students');
  });

  it('enoughDays names the grade whose earliest starts leave too few long-enough days', () => {
    const r = run(enoughDays, tinyWith((i) => (chess(i).minutes = 150)));
    expect(r?.culprit).toEqual({ kind: 'grade', id: 'g1' });
    expect(r?.reason).toMatch(/only 1 day\b/);
  });

  it('enoughDays names the class when only its grades together leave too few days', () => {
    const r = run(
      enoughDays,
      tinyWith((i) => {
        i.grades = [
          { id: 'g1', earliestStart: { MON: '16:00', TUE: '16:00' } },
          { id: 'g2', earliestStart: { WED: '16:00', THU: '16:00' } },
        ];
        chess(i).grades = ['g1', 'g2'];
        dance(i).grades = ['g1'];
      }),
    );
    expect(r?.culprit).toEqual({ kind: 'class', id: 'chess-basic-1' });
  });

  it('enoughStaffedDays names the skill, or the fixed staff member, available on too few days', () => {
    const onlyVolunteer = (i: Instance) => ((i.staff[0] as { skills: string[] }).skills = ['street-dance']);
    expect(run(enoughStaffedDays, tinyWith(onlyVolunteer))?.culprit).toEqual({ kind: 'skill', id: 'chess' });
    const fixed = run(enoughStaffedDays, tinyWith((i) => (chess(i).staff = 'v001')));
    expect(fixed?.culprit).toEqual({ kind: 'staff', id: 'v001' });
    expect(fixed?.reason).toContain('on only 1 day');
  });

  it('fixedStaffHasTime names the staff member whose fixed classes exceed the weekly maximum', () => {
    const r = run(
      fixedStaffHasTime,
      tinyWith((i) => {
        chess(i).staff = 't001';
        (i.staff[0] as { maxMinutesPerWeek: number }).maxMinutesPerWeek = 100;
      }),
    );
    expect(r).toEqual({ reason: 'staff t001 must take 120 min a week of fixed classes but maxMinutesPerWeek is 100', culprit: { kind: 'staff', id: 't001' } });
  });

  it('skillHasTime names the skill whose staff cannot work its minutes', () => {
    const r = run(
      skillHasTime,
      tinyWith((i) => {
        (i.staff[0] as { skills: string[] }).skills = ['street-dance'];
        (i.staff[1] as { maxMinutesPerWeek: number }).maxMinutesPerWeek = 60;
      }),
    );
    expect(r?.culprit).toEqual({ kind: 'skill', id: 'chess' });
  });

  it('roomsHaveTime names a room when its classes need more minutes than it has before 18:00', () => {
    const r = run(
      roomsHaveTime,
      tinyWith((i) => {
        for (let k = 2; k <= 5; k++) i.classes.push({ ...dance(i), id: `street-dance-basic-${k}`, sessions: 2, minutes: 90 });
      }),
    );
    expect(r?.culprit).toEqual({ kind: 'room', id: 'dance-1' });
  });

  it('studentsFit names the student whose classes cannot all fit', () => {
    const r = run(
      studentsFit,
      tinyWith((i) => {
        i.classes.push({ ...chess(i), id: 'go-basic-1', club: 'go', sessions: 5, minutes: 120 });
        (i.students?.[0] as { classes: string[] }).classes.push('go-basic-1');
      }),
    );
    expect(r?.culprit).toEqual({ kind: 'student', id: 's00001' });
  });

  it('proveInfeasible returns the first condition that fails', () => {
    const r = proveInfeasible(compileSolverModel(tinyWith((i) => ((chess(i).skill = 'erhu'), (dance(i).size = 99)))));
    expect(r?.culprit.kind).toBe('skill');
  });
});
