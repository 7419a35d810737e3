import fs from 'node:fs';
import path from 'node:path';
import { findTranslationRecordProblems, requiredTemplateLanguages, type OutreachTemplate } from '../../domain/outreach/messageTemplates';

const cache = new Map<string, ReadonlyMap<string, OutreachTemplate>>();

/**
 * Reads every `<language>.json` of the templates folder (one file per language, for translators).
 * Fails when a required language is missing, a file lacks a field or its translation record
 * (`translation.status`: source, machine_translated or reviewed) is unsound, so a broken
 * translation is found at start-up, not in a letter.
 */
export function loadOutreachTemplates(dir: string): ReadonlyMap<string, OutreachTemplate> {
  const cached = cache.get(dir);
  if (cached) return cached;
  const templates = new Map<string, OutreachTemplate>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as OutreachTemplate;
    const missing = ['language', 'version', 'direction', 'translation', 'greeting', 'eligibility', 'requirements', 'campaign', 'closing', 'optOut', 'optOutPage'].filter(
      (key) => !(key in template),
    );
    if (missing.length > 0 || `${template.language}.json` !== file) throw new Error(`outreach template ${file}: missing ${missing.join(', ') || 'matching language'}`);
    const pageMissing = ['title', 'question', 'button', 'done', 'invalid'].filter((key) => typeof (template.optOutPage as Record<string, unknown>)[key] !== 'string');
    const problems = [...findTranslationRecordProblems(template), ...pageMissing.map((key) => `optOutPage.${key} missing`)];
    if (problems.length > 0) throw new Error(`outreach template ${file}: ${problems.join('; ')}`);
    templates.set(template.language, template);
  }
  const absent = requiredTemplateLanguages.filter((language) => !templates.has(language));
  if (absent.length > 0) throw new Error(`outreach templates missing for: ${absent.join(', ')}`);
  cache.set(dir, templates);
  return templates;
}
