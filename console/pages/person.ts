import type { ConsoleRoute } from '../router';

export const personPages: ConsoleRoute[] = [];
