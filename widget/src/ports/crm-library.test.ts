import { expect } from '@open-wc/testing';
import { inAgentLanguage, knowledgeSearchWords, scriptSteps } from './crm-library.js';

describe('CRM library rules', () => {
  const rows = [
    { title: 'Hallo', language: 'de' },
    { title: 'Hello', language: 'en-GB' },
    { title: 'Order', language: null },
    { title: 'Olá', language: 'pt-BR' },
  ];
  const titles = (language: string) => inAgentLanguage(rows, (r) => r.language, language).map((r) => r.title);

  it("keeps the agent's language (by primary subtag) and the language-neutral rows", () => {
    expect(titles('de-CH')).to.deep.equal(['Hallo', 'Order']);
    expect(titles('EN')).to.deep.equal(['Hello', 'Order']);
    expect(titles('pt')).to.deep.equal(['Order', 'Olá']);
  });

  it('falls back to every row when none is in the agent\'s language', () => {
    expect(titles('ar')).to.deep.equal(['Hallo', 'Hello', 'Order', 'Olá']);
    expect(titles('')).to.deep.equal(['Hallo', 'Hello', 'Order', 'Olá']);
  });

  it('reads one step a line in order; "title | text" can be inserted, a bare line cannot', () => {
    expect(scriptSteps('1. Greet | Hi {customer.name}!\r\n\n- Verify the order\n  3) Close |  Bye  ')).to.deep.equal([
      { id: 'step-1', title: 'Greet', text: 'Hi {customer.name}!' },
      { id: 'step-2', title: 'Verify the order', text: null },
      { id: 'step-3', title: 'Close', text: 'Bye' },
    ]);
    expect(scriptSteps(null)).to.deep.equal([]);
  });

  it('searches knowledge by the words typed, each once and whole, without stop words', () => {
    expect(knowledgeSearchWords("  Where is my Parcel? parcel (KA-01042) O'Neil ")).to.deep.equal(['Parcel', 'KA-01042', "O'Neil"]);
    expect(knowledgeSearchWords('how to')).to.deep.equal(['how to']);
    expect(knowledgeSearchWords('   ')).to.deep.equal([]);
    expect(knowledgeSearchWords('a1 b2 c3 d4 e5 f6 g7 h8 i9 j10')).to.have.length(8);
  });
});
