/** bigint comes back from mysql2 as a string; the values stored (uids, sizes, times in ms) fit a JS number exactly. */
export const bigintAsNumber = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
