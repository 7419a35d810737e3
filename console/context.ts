import type { Request, Response } from 'express';
import type { ConsoleSessionRow } from '../db/queries/consoleSessions';
import type { ApiDependencies } from '../api/deps';
import { callApi, type ApiAnswer } from './apiClient';
import type { Html } from './html';
import { renderPage } from './layout';
import { html } from './html';
import type { PageContext } from './request';

/** What a signed-in page handler works with. */
export interface ConsoleRequest {
  req: Request;
  res: Response;
  deps: ApiDependencies;
  page: PageContext;
  session: ConsoleSessionRow;
  /** A call of the JSON API as the signed-in staff member. */
  api: <T = any>(call: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH'; path: string; body?: unknown; query?: Record<string, string | undefined> }) => Promise<ApiAnswer<T>>;
}

export function createConsoleRequest(req: Request, res: Response, deps: ApiDependencies, page: PageContext, session: ConsoleSessionRow): ConsoleRequest {
  return {
    req, res, deps, session,
    page: { ...page, user: { name: session.displayName, roles: session.roles }, csrf: session.csrfToken },
    api: (call) => callApi(req, { ...call, token: session.accessToken }),
  };
}

export function sendPage(res: Response, page: Html, status = 200): void {
  res.status(status).type('html').set('Cache-Control', 'no-store').send(page.value);
}

/** The page for an API answer that is not the expected one: not found, forbidden, or a plain error. */
export function sendApiFailure(ctx: ConsoleRequest, answer: ApiAnswer): void {
  const { t } = ctx.page;
  // The access token expired or was refused: sign in again, and come back here.
  if (answer.status === 401) {
    ctx.res.redirect(303, `/console/login?back=${encodeURIComponent(ctx.req.method === 'GET' ? ctx.req.originalUrl : '/console')}`);
    return;
  }
  const text = answer.status === 404 ? t('error.notFound') : answer.status === 403 ? t('error.forbidden') : t('error.unexpected');
  const status = [400, 403, 404].includes(answer.status) ? answer.status : 502;
  sendPage(ctx.res, renderPage(ctx.page, { title: t('error.title'), body: html`<p role="alert">${text}</p><p><a href="/console">${t('nav.queue')}</a></p>` }), status);
}

/** The flash message after a redirect (`?done=1`). */
export function flashOf(ctx: ConsoleRequest): string | undefined {
  return ctx.req.query.done ? ctx.page.t('done') : undefined;
}
