import type { Instance, Session } from '../src/index';

// A tiny school to test rules on: one grade, two rooms, a teacher and a volunteer, two
// classes sharing a student. `validAnswer` obeys every hard rule (and has touching sessions).

export function tinySchool(): Instance {
  return {
    name: 'tiny school',
    timezone: 'Asia/Shanghai',
    days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
    dayEnd: '18:00',
    granularity: 5,
    grades: [{ id: 'g1', earliestStart: { MON: '16:00', TUE: '16:00', WED: '15:00', THU: '16:00', FRI: '16:00' } }],
    rooms: [
      { id: 'room-1', capacity: 40, features: [] },
      { id: 'dance-1', capacity: 30, features: ['dance', 'mirrors'] },
    ],
    staff: [
      {
        id: 't001',
        kind: 'teacher',
        skills: ['chess', 'street-dance'],
        available: { MON: [['15:30', '18:00']], WED: [['15:00', '18:00']], FRI: [['16:00', '18:00']] },
        maxMinutesPerWeek: 240,
      },
      { id: 'v001', kind: 'volunteer', skills: ['chess'], available: { TUE: [['16:00', '17:00'], ['17:00', '18:00']] }, maxMinutesPerWeek: 120 },
    ],
    classes: [
      { id: 'chess-basic-1', club: 'chess', tier: 'basic', grades: ['g1'], size: 30, skill: 'chess', roomFeatures: [], sessions: 2, minutes: 60 },
      { id: 'street-dance-basic-1', club: 'street-dance', tier: 'basic', grades: ['g1'], size: 25, skill: 'street-dance', roomFeatures: ['dance'], sessions: 1, minutes: 45 },
    ],
    students: [{ id: 's00001', classes: ['chess-basic-1', 'street-dance-basic-1'] }],
  };
}

export function validAnswer(): Session[] {
  return [
    { class: 'chess-basic-1', day: 'MON', start: '16:00', end: '17:00', room: 'room-1', staff: 't001' },
    { class: 'chess-basic-1', day: 'WED', start: '15:00', end: '16:00', room: 'room-1', staff: 't001' },
    { class: 'street-dance-basic-1', day: 'MON', start: '17:00', end: '17:45', room: 'dance-1', staff: 't001' },
  ];
}

/** A deep copy of the tiny school with changes applied. */
export function tinyWith(change: (i: Instance) => void): Instance {
  const i = structuredClone(tinySchool());
  change(i);
  return i;
}
