// Injected into the demo page before its own scripts (page.addInitScript) by scenarios/felt.ts.
// Plain JS on purpose: it is not bundled, and tsx's helpers must not leak into the page.
//
// It keeps every shadow root the page creates, so one MutationObserver can watch the whole
// composed tree while a measurement is armed (and nothing while none is). Times are
// performance.timeOrigin + performance.now(): the machine's clock, comparable with the node
// side's same expression.
/* global window, ReadableStreamDefaultReader, document, performance, Element, MessageChannel, MutationObserver, PerformanceObserver, addEventListener, removeEventListener, requestAnimationFrame, innerHeight, innerWidth */
(() => {
  const OPTIONS = { childList: true, subtree: true, attributes: true, characterData: true };
  const roots = new Set([document]);
  let observer = null;
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    roots.add(root);
    if (observer) observer.observe(root, OPTIONS);
    return root;
  };
  const now = () => performance.timeOrigin + performance.now();
  const live = () => [...roots].filter((r) => r === document || r.host.isConnected);
  /** Every element matching `selector` in the document and every live shadow root. */
  const findAll = (selector) => live().flatMap((r) => [...r.querySelectorAll(selector)]);
  /** Whether `el` has `text` in it and an element matching `has` inside (each when given). */
  const matches = (el, text, has) => (text == null || el.textContent.includes(text)) && (has == null || Boolean(el.querySelector(has)));
  const find = (selector, text, has) => findAll(selector).find((el) => matches(el, text, has)) ?? null;
  const onScreen = (el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  };
  /** Resolves after the next frame has been produced: a task queued from its rAF callback runs after that frame's paint. */
  const afterNextFrame = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(now());
        channel.port2.postMessage(0);
      }),
    );

  /**
   * Waits for `selector` (with `text` in it and an element matching `has` inside, when given)
   * to be in the DOM and on screen.
   * Resolves { appearedAt, paintedAt, frameAt, frames }: the mutation that put it there, the end
   * of the first frame in which it was on screen, that frame's animation callbacks (its start on
   * the main thread), and how many frames began since it appeared (1: the first one showed it).
   */
  function waitFor(selector, text = null, has = null, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      let appearedAt = null;
      let mo = null;
      let framing = false;
      let done = false;
      const finish = (value, error) => {
        done = true;
        clearTimeout(timer);
        mo.disconnect();
        if (observer === mo) observer = null;
        if (error) reject(error);
        else resolve(value);
      };
      let frames = 0;
      const frame = () => {
        framing = true;
        requestAnimationFrame(() => {
          const frameAt = now();
          frames++;
          const el = find(selector, text, has);
          if (done) return;
          if (el && onScreen(el)) {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              performance.mark('felt-painted');
              finish({ appearedAt, paintedAt: now(), frameAt, frames });
            };
            channel.port2.postMessage(0);
          } else frame();
        });
      };
      // A mutation can only make an element match inside its own root: look only in the roots the
      // records touched (the whole tree once, when armed), so the probe's own work stays out of
      // what it measures.
      const check = (records) => {
        if (done || appearedAt !== null) return;
        const where = records ? new Set(records.map((r) => r.target.getRootNode())) : live();
        let hit = false;
        for (const root of where) {
          for (const el of root.querySelectorAll(selector)) if ((hit = matches(el, text, has))) break;
          if (hit) break;
        }
        if (hit) {
          appearedAt = now();
          performance.mark(`felt-appeared`);
          if (!framing) frame();
        }
      };
      mo = new MutationObserver(check);
      observer = mo;
      for (const r of live()) mo.observe(r, OPTIONS);
      const timer = setTimeout(() => finish(null, new Error(`not shown within ${timeoutMs} ms: ${selector} ${text ?? ''}`)), timeoutMs);
      check();
    });
  }

  /** The time of the last click or key the page received (the event's own timestamp). */
  let lastInput = null;
  /** When the page's main thread began handling that input (its delivery: the browser process, then the renderer's queue). */
  let lastInputHandled = null;
  for (const type of ['click', 'keydown']) {
    addEventListener(
      type,
      (e) => {
        lastInput = performance.timeOrigin + e.timeStamp;
        performance.mark(`felt-${type}`);
        lastInputHandled = now();
      },
      { capture: true },
    );
  }

  /** Typing probe: per keydown, the time from the event to the end of the next frame; long tasks meanwhile. */
  function typingProbe() {
    const perKey = [];
    const longTasks = [];
    const longFrames = [];
    const onKey = (e) => {
      const t = e.timeStamp;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => perKey.push(performance.now() - t);
        channel.port2.postMessage(0);
      });
    };
    addEventListener('keydown', onKey, { capture: true });
    const tasks = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
    tasks.observe({ type: 'longtask' });
    let frames = null;
    if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
      frames = new PerformanceObserver((list) => longFrames.push(...list.getEntries().map((e) => e.duration)));
      frames.observe({ type: 'long-animation-frame' });
    }
    return () => {
      removeEventListener('keydown', onKey, { capture: true });
      tasks.takeRecords().forEach((e) => longTasks.push(e.duration));
      tasks.disconnect();
      frames?.takeRecords().forEach((e) => longFrames.push(e.duration));
      frames?.disconnect();
      return { perKey, longTasks, longFrames, longFrameSupported: frames !== null };
    };
  }

  /** Whether a matching element is on screen now. */
  const visible = (selector, text = null) => {
    const el = find(selector, text, null);
    return !!el && onScreen(el);
  };

  /**
   * When each `status: sent` event reached the page's own stream reader (the panel reads the
   * relay's SSE with fetch and a TextDecoderStream): by message id. Splits "on the stream in
   * node -> the tick painted" into the page's network delivery and the panel's work.
   */
  const sentRead = new Map();
  const read = ReadableStreamDefaultReader.prototype.read;
  ReadableStreamDefaultReader.prototype.read = function () {
    return read.call(this).then((result) => {
      if (typeof result.value === 'string' && result.value.includes('"sent"')) {
        const at = now();
        // Each event's data line, read as the panel reads it (not by the order of its keys).
        for (const line of result.value.split('\n')) {
          if (!line.startsWith('data:')) continue;
          let data;
          try {
            data = JSON.parse(line.slice(5));
          } catch {
            continue; // an event split across chunks: not this probe's concern
          }
          if (data?.status === 'sent' && data.messageId) {
            sentRead.set(data.messageId, at);
            performance.mark('felt-sent-read');
          }
        }
      }
      return result;
    });
  };

  /**
   * The relay's answer to the send made at or after `since` (absolute ms): the responseEnd of the
   * first POST .../messages the page started then (page loads are GETs with a query string).
   * Waits for it, since the sent tick can be painted from the stream before the answer is read.
   */
  function sendAnswered(since, timeoutMs = 10000) {
    const isSend = (e) => e.initiatorType === 'fetch' && /\/messages$/.test(new URL(e.name).pathname) && !new URL(e.name).search && performance.timeOrigin + e.startTime >= since;
    const found = () => performance.getEntriesByType('resource').find(isSend);
    return new Promise((resolve) => {
      const hit = found();
      if (hit) return resolve(performance.timeOrigin + hit.responseEnd);
      const timer = setTimeout(() => (observer.disconnect(), resolve(null)), timeoutMs);
      const observer = new PerformanceObserver(() => {
        const entry = found();
        if (!entry) return;
        clearTimeout(timer);
        observer.disconnect();
        resolve(performance.timeOrigin + entry.responseEnd);
      });
      observer.observe({ type: 'resource' });
    });
  }

  window.__felt = { now, sendAnswered, sentRead: (id) => sentRead.get(id) ?? null, find, findAll, visible, waitFor, afterNextFrame, typingProbe, lastInput: () => lastInput, lastInputHandled: () => lastInputHandled };
})();
