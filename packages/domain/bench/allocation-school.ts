/**
 * A generated school for the allocation benchmark and tests, the same for the same options:
 * children in grades 1–6; clubs of uneven popularity, each with a basic class per two grades
 * (two sections for the most popular) and, for half of them, an advanced class that needs the
 * basic one last term (or a teacher's approval); weekly sessions in two after-school periods
 * and some double ones, so that classes clash. Each guardian ranks the clubs' classes their
 * child's grade allows, by popularity, and an advanced class the child may not take is
 * refused (as enrolment refuses it) and the guardian ranks another instead.
 */
import type { AllocationClass, AllocationInput } from '../src/allocation';
import { SCHOOL_DAYS } from '../src/time';

export interface SchoolOptions {
  children: number;
  clubs: number;
  choices: number;
  /** seats of a class, on average (each is 70–130 % of it; an advanced class has three quarters) */
  seats: number;
  placesPerChild: number;
  /** draws the school */
  school: number;
  /** the allocation's lottery */
  seed: number;
}

export interface GeneratedSchool {
  input: AllocationInput & { classes: AllocationClass[] };
  /** advanced classes a guardian ranked and enrolment refused (prerequisite not met) */
  refused: number;
}

/** Mulberry32: a small seeded generator in [0, 1), for generated data only. */
const generator = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};

const PERIODS = [
  { start: '15:30', end: '16:30' },
  { start: '16:40', end: '17:40' },
  { start: '15:30', end: '17:10' }, // a double period clashes with both
];

export function generateSchool(o: SchoolOptions): GeneratedSchool {
  const random = generator(o.school);
  const below = (n: number) => Math.floor(random() * n);
  const seats = (mean: number) => Math.max(1, Math.round(mean * (0.7 + 0.6 * random())));
  const slots = (): AllocationClass['slots'] => {
    const days: string[] = [...SCHOOL_DAYS];
    for (let i = days.length - 1; i > 0; i--) {
      const j = below(i + 1);
      [days[i], days[j]] = [days[j]!, days[i]!];
    }
    return days
      .slice(0, 1 + below(2))
      .map((day) => ({ day: day as (typeof SCHOOL_DAYS)[number], ...PERIODS[random() < 0.15 ? 2 : below(2)]! }));
  };

  interface Offer {
    cls: AllocationClass;
    club: number;
    grades: [number, number];
    advanced: boolean;
    weight: number;
  }
  const offers: Offer[] = [];
  for (let club = 0; club < o.clubs; club++) {
    const weight = 1 / (club + 1) ** 0.8; // a few clubs are wanted by many
    const sections = club < o.clubs / 4 ? 2 : 1;
    for (const grades of [
      [1, 2],
      [3, 4],
      [5, 6],
    ] as [number, number][])
      for (let s = 0; s < sections; s++)
        offers.push({
          cls: { id: `c${club}-g${grades[0]}-${s}`, seatsLeft: seats(o.seats), slots: slots() },
          club,
          grades,
          advanced: false,
          weight,
        });
    if (club % 2 === 0)
      offers.push({
        cls: { id: `c${club}-adv`, seatsLeft: seats(0.75 * o.seats), slots: slots() },
        club,
        grades: [3, 6],
        advanced: true,
        weight: weight * 0.7,
      });
  }

  let refused = 0;
  const children = Array.from({ length: o.children }, (_, i) => {
    const grade = 1 + (i % 6);
    // clubs whose basic class the child took last term (advanced needs one), or a teacher approves
    const tookBasic = new Set(Array.from({ length: grade > 1 ? below(3) : 0 }, () => below(o.clubs)));
    const approved = random() < 0.05;
    const open = offers.filter((f) => f.grades[0] <= grade && grade <= f.grades[1]);
    const choices: string[] = [];
    while (choices.length < o.choices && open.length) {
      let pick = random() * open.reduce((sum, f) => sum + f.weight, 0);
      const k = Math.max(
        0,
        open.findIndex((f) => (pick -= f.weight) < 0),
      );
      const [f] = open.splice(k, 1);
      if (f!.advanced && !tookBasic.has(f!.club) && !approved) refused++;
      else choices.push(f!.cls.id);
    }
    return { id: `s${String(i).padStart(5, '0')}`, choices, held: [] };
  });

  return {
    input: {
      classes: offers.map((f) => f.cls),
      children,
      placesPerChild: o.placesPerChild,
      seed: o.seed,
    },
    refused,
  };
}
