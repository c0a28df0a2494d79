/**
 * Stand-in for date-fns-tz in the http unit tests. `@kehou/domain` re-exports calendar.ts,
 * which imports date-fns-tz, and loading it costs about a second per test file (it loads all
 * of date-fns). No http code, and no route of functions/setup or functions/people, uses the
 * calendar: if one ever does, these throw and the test fails loudly rather than passing on
 * a fake.
 */
const unavailable = (name: string) => () => {
  throw new Error(`date-fns-tz.${name} is not loaded in the http unit tests (see test/support/no-date-fns-tz.ts)`);
};
export const formatInTimeZone = unavailable('formatInTimeZone');
export const fromZonedTime = unavailable('fromZonedTime');
export const toZonedTime = unavailable('toZonedTime');
export const format = unavailable('format');
export const getTimezoneOffset = unavailable('getTimezoneOffset');
