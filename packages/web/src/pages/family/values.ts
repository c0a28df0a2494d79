/**
 * The opt-out form as typed (strings, as useForm keeps them; field names are the API's paths,
 * so the server's message lands beside its field) and the request made of it. Pure.
 */
import type { OptOutForm, ReasonCategory, SchoolDay, Submission } from './types';
import { SCHOOL_DAYS } from './types';

export interface OptOutValues extends Record<string, string> {
  /** "term": the whole term; "days": the days chosen */
  scope: 'term' | 'days';
  /** the days chosen, e.g. "WED,FRI" */
  days: string;
  /** "yes": the child still stays for homework help */
  homeworkHelp: 'yes' | 'no';
  'reason.category': ReasonCategory;
  'reason.text': string;
  'guardianSignature.name': string;
  /** how the child signs */
  childKind: 'drawn' | 'typed';
  /** no value: where the server says the child's signature as a whole is missing */
  childSignature: '';
  /** the drawn signature, an SVG path */
  'childSignature.image': string;
  'childSignature.name': string;
  /** to the school, with a late request */
  note: string;
}

export const daysOf = (s: string): SchoolDay[] => SCHOOL_DAYS.filter((d) => s.split(',').includes(d));

/** Toggles a day of "WED,FRI", in the week's order. */
export const toggleDay = (s: string, day: SchoolDay): string => {
  const on = new Set(daysOf(s));
  if (on.has(day)) on.delete(day);
  else on.add(day);
  return SCHOOL_DAYS.filter((d) => on.has(d)).join(',');
};

/**
 * A form to fill in: what is in effect (or asked for), to amend; the signatures blank, since
 * every change is signed again.
 */
export function valuesOf(form: OptOutForm | null): OptOutValues {
  const o = form?.request?.state === 'pending' ? form.request.optOut : (form?.optOut ?? form?.request?.optOut ?? null);
  return {
    scope: o?.wholeTerm ? 'term' : 'days',
    days: o && !o.wholeTerm ? o.days.join(',') : '',
    homeworkHelp: o?.homeworkHelp ? 'yes' : 'no',
    'reason.category': o?.reason.category ?? 'family-care',
    'reason.text': o?.reason.text ?? '',
    'guardianSignature.name': '',
    childKind: 'drawn',
    childSignature: '',
    'childSignature.image': '',
    'childSignature.name': '',
    note: '',
  };
}

type Body = Omit<Submission, 'studentNo'>;

/**
 * The request: the choice, both signatures (the child's only when the notice asks for it; a
 * blank one is sent as none, which the server refuses naming the field), and, once the notice
 * has closed, that it is a request with its note.
 */
export function bodyOf(v: OptOutValues, o: { childSignature: boolean; closed: boolean }): Body {
  const child = !o.childSignature
    ? null
    : v.childKind === 'typed'
      ? { kind: 'typed' as const, name: v['childSignature.name'] }
      : v['childSignature.image']
        ? { kind: 'drawn' as const, image: v['childSignature.image'] }
        : null;
  return {
    wholeTerm: v.scope === 'term',
    days: v.scope === 'term' ? [] : daysOf(v.days),
    homeworkHelp: v.homeworkHelp === 'yes',
    reason: { category: v['reason.category'], text: v['reason.text'].trim() || null },
    guardianSignature: { name: v['guardianSignature.name'] },
    childSignature: child,
    asRequest: o.closed,
    note: o.closed ? v.note.trim() || null : null,
  };
}

/**
 * One Idempotency-Key per request meant: the same request again (a double tap, a retry after
 * the network failed) sends the same key, and the server stores it once; a changed one gets a
 * new key (the server would refuse the old key for a different request).
 */
export function idempotencyKeys(make: () => string = () => crypto.randomUUID()) {
  let last: { request: string; key: string } | null = null;
  return (request: unknown): string => {
    const r = JSON.stringify(request);
    if (last?.request !== r) last = { request: r, key: make() };
    return last.key;
  };
}
