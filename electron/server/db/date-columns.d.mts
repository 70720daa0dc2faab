/** date, timestamp and timestamptz, with their array types: how both engines read them. */
export const DATE_TIME_COLUMNS: readonly { oid: number; arrayOid: number; parse: (text: string) => string }[];
