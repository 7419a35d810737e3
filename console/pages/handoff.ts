import type { ConsoleRoute } from '../router';

export const handoffPages: ConsoleRoute[] = [];
