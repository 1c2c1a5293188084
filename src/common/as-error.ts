/** A thrown or rejected value as an Error (promises must reject with one; libraries may hand anything). */
export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
