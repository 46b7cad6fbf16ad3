export const SERVER_CATALOGUES: Record<string, Record<string, Record<string, string>>> = {};
