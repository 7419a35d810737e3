import fs from 'node:fs';
import path from 'node:path';

const domain = path.resolve(__dirname, '..', '..', '..', 'domain', 'naturalisation');

/** The doc comments (`/** … *\/`) of a source file, joined, with the comment stars removed. */
function docComments(file: string): string {
  const source = fs.readFileSync(path.join(domain, file), 'utf8');
  return [...source.matchAll(/\/\*\*([\s\S]*?)\*\//g)].map((match) => match[1].replace(/^\s*\* ?/gm, '').replace(/\s+/g, ' ')).join('\n');
}

/**
 * Every criterion of § 10 StAG is implemented in one file, whose doc comment cites its paragraph
 * in the house format, so that `grep -rn "<citation>" domain/` finds the rule itself.
 */
describe('each criterion cites its paragraph where it is implemented', () => {
  test.each([
    ['§ 10 Abs. 1 Satz 1 StAG', 'criteria/identity.ts'],
    ['§ 37 Abs. 1 Satz 1 StAG', 'criteria/capacityToAct.ts'],
    ['§ 10 Abs. 1 Satz 1 StAG', 'criteria/lawfulResidence.ts'],
    ['§ 10 Abs. 1 Satz 1 Nr. 1 StAG', 'criteria/basicOrderDeclaration.ts'],
    ['§ 10 Abs. 1 Satz 1 Nr. 1a StAG', 'criteria/historicalResponsibility.ts'],
    ['§ 10 Abs. 1 Satz 1 Nr. 2 StAG', 'residenceTitle.ts'],
    ['§ 10 Abs. 1 Satz 1 Nr. 3 StAG', 'livelihood.ts'],
    ['§ 10 Abs. 1 Satz 1 Nr. 4 StAG', 'eligibility.ts'], // repealed: the evaluation says so
    ['§ 10 Abs. 1 Satz 1 Nr. 5 StAG', 'convictions.ts'],
    ['§ 12a Abs. 1 StAG', 'convictions.ts'],
    ['§ 10 Abs. 1 Satz 1 Nr. 6 StAG', 'criteria/germanLanguage.ts'],
    ['§ 10 Abs. 1 Satz 1 Nr. 7 StAG', 'criteria/civicKnowledge.ts'],
    ['§ 10 Abs. 1 Satz 2 StAG', 'criteria/under16.ts'],
    ['§ 10 Abs. 2 StAG', 'coNaturalisation.ts'],
    ['§ 11 Satz 1 Nr. 1 StAG', 'criteria/exclusionGrounds.ts'],
    ['§ 11 Satz 1 Nr. 1a StAG', 'criteria/exclusionGrounds.ts'],
    ['§ 11 Satz 1 Nr. 2 StAG', 'criteria/exclusionGrounds.ts'],
    ['§ 11 Satz 1 Nr. 3 Buchst. a StAG', 'criteria/multipleMarriage.ts'],
    ['§ 11 Satz 1 Nr. 3 Buchst. b StAG', 'criteria/genderEquality.ts'],
    ['§ 12a Abs. 3 StAG', 'procedure.ts'],
  ])('%s in %s', (citation, file) => {
    expect(docComments(file)).toContain(citation);
  });
});
