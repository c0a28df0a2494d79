/** A staff member's checks (background check, qualification): valid until a date, read on the school's today. Pure. */
import { addDays, type IsoDate } from '../../time';

export type CheckState = 'missing' | 'expired' | 'soon' | 'valid';

/** Within this many days of its last valid day, a check is about to expire. */
export const SOON_DAYS = 30;

/** `validUntil` is the last day it is valid: expired from the day after. */
export function checkState(validUntil: IsoDate | null | undefined, today: IsoDate): CheckState {
  if (!validUntil) return 'missing';
  if (validUntil < today) return 'expired';
  return validUntil <= addDays(today, SOON_DAYS) ? 'soon' : 'valid';
}
