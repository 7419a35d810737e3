import type { ConsoleRoute } from '../router';

export const residencePages: ConsoleRoute[] = [];
