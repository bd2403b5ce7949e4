/**
 * Smallest byte sequences that content sniffing (file-type) recognises, one per media
 * type the tests care about. Headers only: enough to identify, not to render.
 */
const padded = (head: Uint8Array | number[], size = 512): Uint8Array => {
  const bytes = new Uint8Array(size);
  bytes.set(head);
  return bytes;
};
const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];
const ogg = (codecId: string): Uint8Array => {
  const bytes = padded(ascii('OggS'));
  bytes.set(ascii(codecId), 28);
  return bytes;
};

export const SAMPLES = {
  jpeg: padded([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...ascii('JFIF'), 0x00]),
  png: padded([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, ...ascii('IHDR')]),
  pdf: padded(ascii('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n')),
  mp3: padded([0xff, 0xfb, 0x90, 0x64]),
  oggVorbis: ogg('\x01vorbis'),
  oggOpus: ogg('OpusHead'),
  amr: padded(ascii('#!AMR\n')),
  mp4: padded([0, 0, 0, 0x18, ...ascii('ftypmp42'), 0, 0, 0, 0, ...ascii('mp42isom')]),
  gif: padded(ascii('GIF89a')),
  exe: padded(ascii('MZ')),
  shellScript: new Uint8Array(Buffer.from('#!/bin/sh\necho hi\n')),
} as const;
