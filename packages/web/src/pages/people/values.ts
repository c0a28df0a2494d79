/** Form values (strings, as typed) into the numbers and lists the API takes. */

/** A whole number as typed; anything else goes as typed, for the server to say what is wrong with it. */
export const wholeOr = (v: string): number | string => (/^\s*-?\d+\s*$/.test(v) ? Number(v) : v);

/** "dance, piano；music" → ["dance", "piano", "music"]: separated by commas, semicolons or spaces (Chinese ones too). */
export const listOf = (v: string): string[] => v.split(/[\s,;，；、]+/).filter(Boolean);

/** null for an empty choice ("none"). */
export const orNull = (v: string | undefined): string | null => (v ? v : null);
