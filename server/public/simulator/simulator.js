// The customer phone simulator page: plain browser JavaScript, no build step, no inline
// script (the relay's CSP is `script-src 'self'`). Talks only to /simulator/api/*.
// Customer text is always put into the page as text, never as HTML.

const PRESETS = {
  maria: { phone: '+14155550100', profileName: 'Maria Campbell' },
  dev: { phone: '+447700900999', profileName: 'Dev Patel' },
};
const E164 = /^\+[1-9]\d{6,14}$/;
const POLL_MS = 1000;
const STORAGE_KEY = 'wcp-simulator-identity';
const STATUS_LABELS = {
  queued: 'Sending',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not delivered',
  undelivered: 'Not delivered',
  received: 'Delivered',
  receiving: 'Sending',
};

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const presetSelect = /** @type {HTMLSelectElement} */ ($('preset'));
const phoneInput = /** @type {HTMLInputElement} */ ($('phone'));
const nameInput = /** @type {HTMLInputElement} */ ($('profile-name'));
const phoneError = $('phone-error');
const chat = $('chat');
const chatEmpty = $('chat-empty');
const statusLine = $('status');
const composer = /** @type {HTMLFormElement} */ ($('composer'));
const messageInput = /** @type {HTMLTextAreaElement} */ ($('message'));
const fileInput = /** @type {HTMLInputElement} */ ($('file'));
const attachmentBox = $('attachment');
const attachmentName = $('attachment-name');
const sendButton = /** @type {HTMLButtonElement} */ ($('send'));
const clockOutput = $('clock-offset');
const subtitle = $('chat-subtitle');
const replyBox = $('reply-target');
const replyText = $('reply-target-text');

/** Rendered bubbles by message id, so polling only patches what changed. */
const rendered = new Map();
let currentPhone = '';
let pollTimer = 0;
let polling = false;
let sending = false;
/** @type {File | null} */
let attachment = null;
/** The business message the next one quotes (WhatsApp's swipe-to-reply): its Twilio sid and text. */
let replyTarget = /** @type {{ sid: string, body: string } | null} */ (null);

// ---- identity ---------------------------------------------------------------------------

function loadIdentity() {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('phone');
  if (fromUrl) return { preset: presetFor(fromUrl, params.get('name') ?? ''), phone: fromUrl, profileName: params.get('name') ?? '' };
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (saved && typeof saved.phone === 'string') return { preset: presetFor(saved.phone, saved.profileName ?? ''), phone: saved.phone, profileName: saved.profileName ?? '' };
  } catch {
    // no saved identity
  }
  return { preset: 'maria', ...PRESETS.maria };
}

function presetFor(phone, profileName) {
  for (const [key, preset] of Object.entries(PRESETS)) {
    if (preset.phone === phone && preset.profileName === profileName) return key;
  }
  return 'custom';
}

function saveIdentity() {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ phone: phoneInput.value.trim(), profileName: nameInput.value.trim() }));
  } catch {
    // private mode: nothing to keep
  }
}

function validPhone() {
  const phone = phoneInput.value.trim().replace(/[\s()-]/g, '');
  if (E164.test(phone)) {
    phoneError.textContent = '';
    phoneInput.removeAttribute('aria-invalid');
    return phone;
  }
  phoneError.textContent = 'Enter the number in E.164 form: + then country code and number, e.g. +447700900123.';
  phoneInput.setAttribute('aria-invalid', 'true');
  return null;
}

function switchPhone() {
  const phone = validPhone();
  if (!phone || phone === currentPhone) return;
  currentPhone = phone;
  saveIdentity();
  rendered.clear();
  chat.replaceChildren(chatEmpty);
  chatEmpty.hidden = false;
  subtitle.textContent = `Business account · you are ${phone}`;
  void poll();
}

presetSelect.addEventListener('change', () => {
  const preset = PRESETS[presetSelect.value];
  if (preset) {
    phoneInput.value = preset.phone;
    nameInput.value = preset.profileName;
    switchPhone();
  } else {
    phoneInput.focus();
    phoneInput.select();
  }
});
phoneInput.addEventListener('change', () => {
  presetSelect.value = presetFor(phoneInput.value.trim(), nameInput.value.trim());
  switchPhone();
});
nameInput.addEventListener('change', () => {
  presetSelect.value = presetFor(phoneInput.value.trim(), nameInput.value.trim());
  saveIdentity();
});
$('identity').addEventListener('submit', (event) => {
  event.preventDefault();
  switchPhone();
});

// ---- relay calls ------------------------------------------------------------------------

async function api(path, init) {
  const response = await fetch(`/simulator/api${path}`, init);
  const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
  const body = isJson ? await response.json() : null;
  if (!response.ok) {
    const message = body && typeof body.message === 'string' ? body.message : `The relay answered ${response.status}.`;
    throw new Error(message);
  }
  return body;
}

function say(text) {
  statusLine.textContent = text;
}

// ---- chat rendering ---------------------------------------------------------------------

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function dayKey(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

function ticksFor(message) {
  const status = message.status;
  if (status === 'failed' || status === 'undelivered') return '⚠';
  if (status === 'queued' || status === 'sending' || status === 'receiving') return '…';
  if (status === 'sent') return '✓';
  return '✓✓';
}

function renderMedia(message, fromMe) {
  const box = document.createElement('div');
  box.className = 'media';
  for (const item of message.media) {
    const kind = item.contentType.split('/')[0];
    if (kind === 'image') {
      const img = document.createElement('img');
      img.src = item.url;
      img.alt = fromMe ? 'Image you sent' : 'Image from Contoso Support';
      img.loading = 'lazy';
      box.append(img);
    } else if (kind === 'audio' || kind === 'video') {
      const el = document.createElement(kind);
      el.controls = true;
      el.src = item.url;
      el.setAttribute('aria-label', `${kind === 'audio' ? 'Audio' : 'Video'} ${fromMe ? 'you sent' : 'from Contoso Support'}`);
      box.append(el);
    } else {
      const link = document.createElement('a');
      link.href = item.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.className = 'document';
      const badge = document.createElement('span');
      badge.className = 'doc-badge';
      badge.setAttribute('aria-hidden', 'true');
      badge.textContent = item.contentType === 'application/pdf' ? 'PDF' : 'FILE';
      link.append(badge, item.contentType === 'application/pdf' ? 'PDF document' : `Document (${item.contentType})`);
      box.append(link);
    }
  }
  return box;
}

function createBubble(message) {
  // On this phone "inbound" (to the business) is the customer's own message.
  const fromMe = message.direction === 'inbound';
  const row = document.createElement('div');
  row.className = `row ${fromMe ? 'mine' : 'theirs'}`;
  row.dataset.messageId = message.id;
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  const who = document.createElement('span');
  who.className = 'visually-hidden';
  who.textContent = fromMe ? 'You:' : 'Contoso Support:';
  bubble.append(who);
  if (message.media.length) bubble.append(renderMedia(message, fromMe));
  if (message.body) {
    const text = document.createElement('p');
    text.className = 'text';
    text.textContent = message.body;
    bubble.append(text);
  }
  if (!fromMe && message.sid && message.buttons?.length) bubble.append(quickReplies(message));
  const meta = document.createElement('span');
  meta.className = 'meta';
  const time = document.createElement('time');
  time.dateTime = new Date(message.createdAt).toISOString();
  time.title = fullFormat.format(message.createdAt);
  time.textContent = timeFormat.format(message.createdAt);
  meta.append(time);
  const tick = document.createElement('span');
  tick.className = 'tick';
  tick.setAttribute('role', 'img');
  meta.append(tick);
  bubble.append(meta);
  if (!fromMe && message.sid) {
    const reply = document.createElement('button');
    reply.type = 'button';
    reply.className = 'reply';
    reply.textContent = 'Reply';
    reply.setAttribute('aria-label', `Reply to: ${message.body.split('\n')[0] || 'this message'}`);
    reply.addEventListener('click', () => setReplyTarget({ sid: message.sid, body: message.body }));
    meta.append(reply);
  }
  row.append(bubble);
  const entry = { row, tick, status: '' };
  updateStatus(entry, message);
  return entry;
}

/** The agent's quick-reply buttons, tappable as on a phone: the tap quotes the message, as WhatsApp does. */
function quickReplies(message) {
  const list = document.createElement('div');
  list.className = 'quick-replies';
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', 'Quick-reply buttons');
  for (const choice of message.buttons) {
    const tap = document.createElement('button');
    tap.type = 'button';
    tap.textContent = choice.title;
    tap.addEventListener('click', () => void sendKind({ kind: { type: 'button', text: choice.title, payload: choice.id }, replyToSid: message.sid }, tap, `Tapped: ${choice.title}.`));
    list.append(tap);
  }
  return list;
}

function setReplyTarget(target) {
  replyTarget = target;
  replyBox.hidden = !target;
  replyText.textContent = target ? `Replying to: ${target.body.split('\n')[0] || 'a message'}` : '';
  messageInput.focus();
}

function updateStatus(entry, message) {
  if (entry.status === message.status) return;
  entry.status = message.status;
  const label = STATUS_LABELS[message.status] ?? message.status;
  entry.tick.textContent = ticksFor(message);
  entry.tick.className = `tick ${message.status}`;
  entry.tick.setAttribute('aria-label', label);
  entry.tick.title = label;
}

function dayDivider(ms) {
  const p = document.createElement('p');
  p.className = 'day';
  p.dataset.day = dayKey(ms);
  p.textContent = dayFormat.format(ms);
  return p;
}

function render(items) {
  const nearBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 60;
  let added = false;
  let lastDay = null;
  for (const message of items) {
    const day = dayKey(message.createdAt);
    let entry = rendered.get(message.id);
    if (!entry) {
      if (day !== lastDay && !chat.querySelector(`.day[data-day="${day}"]`)) chat.append(dayDivider(message.createdAt));
      entry = createBubble(message);
      rendered.set(message.id, entry);
      chat.append(entry.row);
      added = true;
    } else {
      updateStatus(entry, message);
    }
    lastDay = day;
  }
  chatEmpty.hidden = rendered.size > 0;
  if (added && nearBottom) chat.scrollTop = chat.scrollHeight;
}

function showClock(offsetMs) {
  const hours = offsetMs / 3600_000;
  const text = `+${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
  if (clockOutput.textContent !== text) clockOutput.textContent = text;
}

async function poll() {
  window.clearTimeout(pollTimer);
  if (!currentPhone || polling) {
    pollTimer = window.setTimeout(poll, POLL_MS);
    return;
  }
  polling = true;
  const phone = currentPhone;
  try {
    const data = await api(`/phones/${encodeURIComponent(phone)}/messages`);
    if (phone === currentPhone) {
      render(data.items);
      showClock(data.clockOffsetMs);
      if (statusLine.dataset.kind === 'offline') {
        say('');
        delete statusLine.dataset.kind;
      }
    }
  } catch {
    say('The relay cannot be reached; retrying…');
    statusLine.dataset.kind = 'offline';
  } finally {
    polling = false;
    pollTimer = window.setTimeout(poll, POLL_MS);
  }
}

// ---- sending ----------------------------------------------------------------------------

function setAttachment(file) {
  attachment = file;
  attachmentBox.hidden = !file;
  attachmentName.textContent = file ? `Attached: ${file.name} (${Math.max(1, Math.round(file.size / 1024))} KB)` : '';
  if (!file) fileInput.value = '';
}

fileInput.addEventListener('change', () => setAttachment(fileInput.files?.[0] ?? null));
$('remove-attachment').addEventListener('click', () => {
  setAttachment(null);
  messageInput.focus();
});

messageInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    composer.requestSubmit();
  }
});

composer.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (sending) return;
  const from = validPhone();
  if (!from) {
    phoneInput.focus();
    return;
  }
  if (from !== currentPhone) switchPhone();
  const body = messageInput.value.trim();
  if (!body && !attachment) {
    say('Type a message or attach a file.');
    return;
  }
  sending = true;
  sendButton.disabled = true;
  say('');
  try {
    let mediaToken;
    if (attachment) {
      const upload = await api('/media', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent(attachment.name) },
        body: attachment,
      });
      mediaToken = upload.mediaToken;
    }
    const payload = { from, body };
    const profileName = nameInput.value.trim();
    if (profileName) payload.profileName = profileName;
    if (mediaToken) payload.mediaToken = mediaToken;
    if (replyTarget) payload.replyToSid = replyTarget.sid;
    await api('/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    messageInput.value = '';
    setAttachment(null);
    setReplyTarget(null);
    await poll();
  } catch (error) {
    say(`Not sent: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    sending = false;
    sendButton.disabled = false;
    messageInput.focus();
  }
});

// ---- more than text ----------------------------------------------------------------------

/** What each "More than text" button sends (the relay's simulator API, Twilio's parameters underneath). */
const KINDS = {
  location: { kind: { type: 'location', latitude: 51.5033, longitude: -0.1196, address: 'Riverside Building, County Hall, London SE1 7PB', label: 'London Eye' } },
  contact: { kind: { type: 'contact', name: 'Bruno Lima', phone: '+5511912345678' } },
  button: { kind: { type: 'button', text: 'Track my order', payload: 'track_order' } },
  reaction: { kind: { type: 'reaction', emoji: '👍' } },
  referral: { body: 'Hi! I saw your ad, is the sale still on?', referral: { headline: 'Spring sale: 20% off', body: 'Everything in store until Sunday.', sourceUrl: 'https://fb.me/contoso-spring-sale' } },
  forwarded: { body: 'Look what my friend sent me: "Contoso doubles loyalty points this week!"', forwarded: true },
  poll: { kind: { type: 'unknown', messageType: 'poll' } },
  stop: { body: 'STOP' },
  start: { body: 'START' },
};

/** Sends one "more than text" message from this phone; `button` is disabled meanwhile. */
async function sendKind(message, button, done) {
  const from = validPhone();
  if (!from) {
    phoneInput.focus();
    return;
  }
  if (from !== currentPhone) switchPhone();
  const payload = { from, ...message };
  const profileName = nameInput.value.trim();
  if (profileName) payload.profileName = profileName;
  button.disabled = true;
  try {
    await api('/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    say(done);
    await poll();
  } catch (error) {
    say(`Not sent: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    button.disabled = false;
  }
}

for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('button[data-kind]'))) {
  button.addEventListener('click', () => void sendKind(KINDS[/** @type {keyof typeof KINDS} */ (button.dataset.kind)], button, `Sent: ${button.textContent}.`));
}

$('cancel-reply').addEventListener('click', () => setReplyTarget(null));

// ---- clock ------------------------------------------------------------------------------

async function advance(hours, button) {
  button.disabled = true;
  try {
    const result = await api('/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: hours * 3600_000 }) });
    showClock(result.offsetMs);
    say(`The clock moved forward ${hours} h.`);
  } catch (error) {
    say(`The clock could not be moved: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    button.disabled = false;
  }
}

const oneHour = /** @type {HTMLButtonElement} */ ($('advance-1h'));
const oneDay = /** @type {HTMLButtonElement} */ ($('advance-24h'));
oneHour.addEventListener('click', () => void advance(1, oneHour));
oneDay.addEventListener('click', () => void advance(24, oneDay));

// ---- start ------------------------------------------------------------------------------

const identity = loadIdentity();
presetSelect.value = identity.preset;
phoneInput.value = identity.phone;
nameInput.value = identity.profileName;
api('/clock').then((c) => showClock(c.offsetMs), () => undefined);
switchPhone();
