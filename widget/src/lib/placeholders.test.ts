import { expect } from '@open-wc/testing';
import { fillPlaceholders, unfilledPlaceholders } from './placeholders.js';

const context = {
  customerName: 'Ana García',
  agentName: 'Dana',
  record: { ticketnumber: 'CAS-42' },
  customer: { firstName: 'Ana', phone: '+14155550100' },
};

describe('placeholders', () => {
  it('fills customer, agent and record placeholders, the customer\'s first name included', () => {
    expect(fillPlaceholders('Hi {customer.firstName}, {agent.name} about {record.ticketnumber} ({customer.name})', context)).to.equal(
      'Hi Ana, Dana about CAS-42 (Ana García)',
    );
  });

  it('names every placeholder that cannot be filled, once each, in order', () => {
    expect(unfilledPlaceholders("I've opened case {record.ticketnumber}", { ...context, record: {} })).to.deep.equal(['record.ticketnumber']);
    expect(unfilledPlaceholders('{customer.lastName} {record.x} {customer.lastName} {record.ticketnumber}', context)).to.deep.equal([
      'customer.lastName',
      'record.x',
    ]);
    expect(unfilledPlaceholders('All filled: {customer.firstName}', context)).to.deep.equal([]);
    expect(unfilledPlaceholders('Plain {braces} and {other.thing} are text', context)).to.deep.equal([]);
  });
});
