import { createPersonQueries } from '../../db/queries/persons';
import type { LetterComposer } from '../../processes/contract';
import { renderOutreachLetter } from '../../domain/outreach/messageTemplates';
import { optOutUrl } from './relay';
import { loadOutreachSettings } from './settings';
import { loadOutreachTemplates } from './templates';

/**
 * Outreach's letters through the shared outbox path (`enqueueMessage`), for a single message a
 * workflow asks for: the case id is the person's id, the letter `{ kind: 'information', title,
 * details }` with texts per language. Bulk sending goes through the outreach relay instead.
 */
export const outreachLetters: LetterComposer = {
  async load(db, personId) {
    const { rows } = await db.query<{ id: string; authority_id: string }>('SELECT id, authority_id FROM persons WHERE id = $1', [personId]);
    const row = rows[0];
    if (!row) return undefined;
    const person = await createPersonQueries(db).findPersonByIdAndAuthority(row.id, row.authority_id);
    if (!person) return undefined;
    return { email: person.contact.email, language: person.preferredLanguage, data: { personId: person.id, name: `${person.givenNames} ${person.familyName}` }, authorityId: row.authority_id };
  },
  render(context, request) {
    const settings = loadOutreachSettings();
    const letter = request.letter as { kind: string; title?: Record<string, string>; details?: Record<string, string> };
    const rendered = renderOutreachLetter(loadOutreachTemplates(settings.templatesDir), context.language, {
      kind: 'campaign',
      name: String(context.data.name),
      title: letter.title ?? { de: 'Information zur Einbürgerung' },
      details: letter.details ?? { de: 'Bitte wenden Sie sich an Ihre Einbürgerungsbehörde.' },
      optOutUrl: optOutUrl(settings, String(context.data.personId)),
    });
    return { subject: rendered.subject, text: rendered.text };
  },
};
