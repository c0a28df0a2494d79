/** Participation's figures as the reports quote them. Pure. */

/** "99.32 %" (two decimals, as the API gives them); a dash when there is nobody to count. */
export const percentText = (p: number | null | undefined): string => (p === null || p === undefined ? '—' : `${p.toFixed(2)} %`);
