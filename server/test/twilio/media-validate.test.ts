import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkUpload } from '../../src/media/validate.ts';
import { SAMPLES } from '../fakes/media-samples.ts';

const MAX = 5 * 1024 * 1024;
const check = (bytes: Uint8Array, filename: string | null, declaredType: string | null = null, maxBytes = MAX) =>
  checkUpload(bytes, { filename, declaredType, maxBytes });

describe('checkUpload', () => {
  it('accepts each WhatsApp media type by its content', async () => {
    const cases: [Uint8Array, string, string, string][] = [
      [SAMPLES.jpeg, 'photo.JPG', 'image/jpeg', 'jpg'],
      [SAMPLES.jpeg, 'photo.jpeg', 'image/jpeg', 'jpeg'],
      [SAMPLES.png, 'screen.png', 'image/png', 'png'],
      [SAMPLES.pdf, 'invoice.pdf', 'application/pdf', 'pdf'],
      [SAMPLES.mp3, 'song.mp3', 'audio/mpeg', 'mp3'],
      [SAMPLES.oggVorbis, 'note.ogg', 'audio/ogg', 'ogg'],
      [SAMPLES.oggOpus, 'voice.ogg', 'audio/ogg', 'ogg'],
      [SAMPLES.amr, 'memo.amr', 'audio/amr', 'amr'],
      [SAMPLES.mp4, 'clip.mp4', 'video/mp4', 'mp4'],
    ];
    for (const [bytes, filename, contentType, extension] of cases) {
      assert.deepEqual(await check(bytes, filename), { ok: true, contentType, extension }, filename);
    }
  });

  it('accepts old Office documents (one compound-file format) by their name, and nothing else in that format', async () => {
    const compound = new Uint8Array(1024);
    compound.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    assert.deepEqual(await check(compound, 'contract.doc'), { ok: true, contentType: 'application/msword', extension: 'doc' });
    assert.deepEqual(await check(compound, 'figures.XLS'), { ok: true, contentType: 'application/vnd.ms-excel', extension: 'xls' });
    assert.deepEqual(await check(compound, 'deck.ppt'), { ok: true, contentType: 'application/vnd.ms-powerpoint', extension: 'ppt' });
    assert.equal((await check(compound, 'setup.msi')).ok, false);
    assert.equal((await check(compound, null)).ok, false);
  });

  it("holds each type to WhatsApp's own limit: images 5 MB, other media 16 MB", async () => {
    const padded = (sample: Uint8Array, size: number) => {
      const bytes = new Uint8Array(size);
      bytes.set(sample);
      return bytes;
    };
    const big = 32 * 1024 * 1024;
    const image = await check(padded(SAMPLES.jpeg, 5 * 1024 * 1024 + 1), 'photo.jpg', null, big);
    assert.equal(image.ok, false);
    assert.match(image.ok ? '' : image.message, /images up to 5\.0 MB/);
    assert.equal((await check(padded(SAMPLES.jpeg, 5 * 1024 * 1024), 'photo.jpg', null, big)).ok, true);
    assert.equal((await check(padded(SAMPLES.pdf, 16 * 1024 * 1024), 'big.pdf', null, big)).ok, true);
    const video = await check(padded(SAMPLES.mp4, 16 * 1024 * 1024 + 1), 'clip.mp4', null, big);
    assert.equal(video.ok ? '' : video.error, 'media_too_large');
  });

  it('detects PDFs and audio by content when the name has no extension', async () => {
    assert.deepEqual(await check(SAMPLES.pdf, 'scan'), { ok: true, contentType: 'application/pdf', extension: 'pdf' });
    assert.deepEqual(await check(SAMPLES.oggOpus, null), { ok: true, contentType: 'audio/ogg', extension: 'ogg' });
  });

  it('trusts the bytes over the declared type', async () => {
    const result = await check(SAMPLES.pdf, 'doc.pdf', 'image/png');
    assert.deepEqual(result, { ok: true, contentType: 'application/pdf', extension: 'pdf' });
  });

  it('refuses a name that disagrees with the content', async () => {
    const result = await check(SAMPLES.pdf, 'holiday.jpg', 'image/jpeg');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error, 'media_type_not_allowed');
    assert.match(!result.ok ? result.message : '', /named \.jpg but contains application\/pdf/);
  });

  it('refuses content WhatsApp does not accept, whatever it is called', async () => {
    for (const [bytes, filename] of [
      [SAMPLES.gif, 'funny.gif'],
      [SAMPLES.exe, 'invoice.pdf'],
      [SAMPLES.shellScript, 'photo.png'],
      [new Uint8Array(0), 'empty.pdf'],
    ] as const) {
      const result = await check(bytes, filename, 'application/pdf');
      assert.equal(result.ok, false, filename);
      assert.equal(!result.ok && result.error, 'media_type_not_allowed', filename);
    }
  });

  it('refuses a file over the limit before looking inside it', async () => {
    const result = await check(SAMPLES.jpeg, 'photo.jpg', 'image/jpeg', SAMPLES.jpeg.byteLength - 1);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error, 'media_too_large');
    assert.equal((await check(SAMPLES.jpeg, 'photo.jpg', 'image/jpeg', SAMPLES.jpeg.byteLength)).ok, true);
  });
});
