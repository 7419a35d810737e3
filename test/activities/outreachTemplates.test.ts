import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOutreachTemplates } from '../../activities/outreach/templates';
import { findTranslationRecordProblems, requiredTemplateLanguages, translationStatuses } from '../../domain/outreach/messageTemplates';

const templatesDir = path.resolve(__dirname, '..', '..', '..', 'templates', 'outreach');

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A copy of the template folder with one file changed by `edit`. */
function folderWith(language: string, edit: (template: Record<string, unknown>) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outreach-templates-'));
  folders.push(dir);
  for (const file of fs.readdirSync(templatesDir)) fs.copyFileSync(path.join(templatesDir, file), path.join(dir, file));
  const file = path.join(dir, `${language}.json`);
  const template = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(template);
  fs.writeFileSync(file, JSON.stringify(template));
  return dir;
}

/**
 * Every template file records whether a translator checked it (the texts could not be reviewed
 * where they were written): German is the source, the others say machine_translated until a
 * reviewer and date are entered; start-up refuses a file without that record.
 */
describe('translation record of the outreach templates', () => {
  test('each language file states its translation status; German is the source, the rest await review', () => {
    const templates = loadOutreachTemplates(templatesDir);
    for (const language of requiredTemplateLanguages) {
      const template = templates.get(language)!;
      expect(translationStatuses).toContain(template.translation.status);
      expect(findTranslationRecordProblems(template)).toEqual([]);
      expect(template.translation.status).toBe(language === 'de' ? 'source' : 'machine_translated');
      expect(Object.keys(template.optOutPage).sort()).toEqual(['button', 'done', 'invalid', 'question', 'title']);
    }
  });

  test.each<[string, string, (t: Record<string, unknown>) => void, RegExp]>([
    ['no translation record', 'tr', (t) => delete t.translation, /missing translation/],
    ['an unknown status', 'uk', (t) => (t.translation = { status: 'ok', reviewedBy: null, reviewedOn: null }), /translation.status must be one of/],
    ['reviewed without reviewer and date', 'ar', (t) => (t.translation = { status: 'reviewed', reviewedBy: null, reviewedOn: null }), /names reviewedBy and reviewedOn/],
    ['a translation calling itself the source', 'fa', (t) => (t.translation = { status: 'source', reviewedBy: null, reviewedOn: null }), /only the German file is the source/],
    ['no opt-out page texts', 'ru', (t) => delete t.optOutPage, /missing optOutPage/],
  ])('start-up refuses %s', (_name, language, edit, message) => {
    expect(() => loadOutreachTemplates(folderWith(language, edit))).toThrow(message);
  });

  test('a reviewed translation with reviewer and date is accepted', () => {
    const dir = folderWith('ar', (t) => (t.translation = { status: 'reviewed', reviewedBy: 'Übersetzungsbüro Köln', reviewedOn: '2026-12-01' }));
    expect(loadOutreachTemplates(dir).get('ar')!.translation.status).toBe('reviewed');
  });
});
