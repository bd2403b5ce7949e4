import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { AddNoteEvent } from '../../events/index.js';
import { notes } from '../shared/test-fixtures.js';
import { nextEvent } from '../shared/test-helpers.js';
import './wcp-notes.js';
import type { NotesElement } from './wcp-notes.js';

const textarea = (el: NotesElement) => el.shadowRoot!.querySelector('textarea')!;
const addButton = (el: NotesElement) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Add note')!;

describe('wcp-notes', () => {
  it('lists notes newest first with author, time and text (as text)', async () => {
    const el = await fixture<NotesElement>(html`<wcp-notes .notes=${notes}></wcp-notes>`);
    const items = [...el.shadowRoot!.querySelectorAll('li')];
    expect(items.map((li) => li.querySelector('strong')!.textContent)).to.deep.equal(['Megan Bowen', 'Alex Wilber']);
    expect(items[0]!.querySelector('p')!.textContent).to.equal('Refund approved <b>by</b> supervisor.');
    expect(items[0]!.querySelector('b')).to.equal(null);
    expect(items[0]!.querySelector('time')!.getAttribute('datetime')).to.equal('2025-11-25T10:05:00.000Z');
    await expect(el).to.be.accessible();
  });

  it('says so when there are no notes', async () => {
    const el = await fixture<NotesElement>(html`<wcp-notes></wcp-notes>`);
    expect(el.shadowRoot!.textContent).to.contain('No notes yet.');
    await expect(el).to.be.accessible();
  });

  it('raises AddNoteEvent with the typed text and clears the box', async () => {
    const el = await fixture<NotesElement>(html`<wcp-notes></wcp-notes>`);
    expect(addButton(el).disabled).to.equal(true);
    textarea(el).focus();
    await sendKeys({ type: '  Called back, left voicemail  ' });
    await el.updateComplete;
    expect(addButton(el).disabled).to.equal(false);
    setTimeout(() => addButton(el).click());
    const event = await nextEvent(el, 'wcp-add-note');
    expect(event).to.be.instanceOf(AddNoteEvent);
    expect(event.body).to.equal('Called back, left voicemail');
    expect(event.bubbles && event.composed).to.equal(true);
    await el.updateComplete;
    expect(textarea(el).value).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('adds with Ctrl+Enter from the keyboard', async () => {
    const el = await fixture<NotesElement>(html`<wcp-notes></wcp-notes>`);
    textarea(el).focus();
    await sendKeys({ type: 'Keyboard note' });
    const raised = nextEvent(el, 'wcp-add-note');
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Control' });
    const event = await raised;
    expect(event.body).to.equal('Keyboard note');
    await expect(el).to.be.accessible();
  });

  it('shows the error as an alert and gives the draft back', async () => {
    const el = await fixture<NotesElement>(html`<wcp-notes></wcp-notes>`);
    textarea(el).focus();
    await sendKeys({ type: 'Important' });
    await el.updateComplete;
    addButton(el).click();
    el.error = 'Could not save the note.';
    await el.updateComplete;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('Could not save the note.');
    expect(textarea(el).value).to.equal('Important');
    await expect(el).to.be.accessible();
  });

  it('disables "Add note" while busy', async () => {
    const el = await fixture<NotesElement>(html`<wcp-notes busy></wcp-notes>`);
    textarea(el).focus();
    await sendKeys({ type: 'x' });
    await el.updateComplete;
    expect(addButton(el).disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
