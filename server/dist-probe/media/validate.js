/**
 * Checks an agent's upload before it can be sent to WhatsApp. The bytes decide the
 * type: a file's name and the browser's declared type are claims, not evidence, so a
 * PDF renamed .jpg or a script renamed .pdf is refused.
 */
import { WHATSAPP_MEDIA_TYPES, whatsappMediaMaxBytes } from '@wcp/protocol';
const ALLOWED_LIST = Object.keys(WHATSAPP_MEDIA_TYPES).join(', ');
/** Old Office files (.doc, .xls, .ppt) share one container format: the bytes say "compound file", the name says which. */
const COMPOUND_FILE = 'application/x-cfb';
const COMPOUND_FILE_TYPES = ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'];
function compoundFileType(filename) {
    const named = extensionOf(filename);
    return COMPOUND_FILE_TYPES.find((type) => named !== null && WHATSAPP_MEDIA_TYPES[type]?.includes(named));
}
export async function checkUpload(bytes, claims) {
    if (bytes.byteLength > claims.maxBytes) {
        return {
            ok: false,
            error: 'media_too_large',
            message: `The file is ${formatBytes(bytes.byteLength)}; the limit is ${formatBytes(claims.maxBytes)}.`,
        };
    }
    // file-type (~1.6 MB of heap with its parsers) loads with the first upload, not at start.
    const sniffed = bytes.byteLength > 0 ? await (await import('file-type')).fileTypeFromBuffer(bytes) : undefined;
    // file-type reports Ogg Opus voice notes as "audio/ogg; codecs=opus"; WhatsApp wants the bare type.
    const sniffedType = sniffed?.mime.split(';')[0]?.trim().toLowerCase();
    const contentType = sniffedType === COMPOUND_FILE ? (compoundFileType(claims.filename) ?? sniffedType) : sniffedType;
    const extensions = contentType ? WHATSAPP_MEDIA_TYPES[contentType] : undefined;
    if (!contentType || !extensions) {
        const seen = contentType ? ` (it contains ${contentType})` : claims.declaredType ? ` (declared as ${claims.declaredType})` : '';
        return {
            ok: false,
            error: 'media_type_not_allowed',
            message: `WhatsApp cannot send this kind of file${seen}. Allowed: ${ALLOWED_LIST}.`,
        };
    }
    const limit = whatsappMediaMaxBytes(contentType);
    if (bytes.byteLength > limit) {
        return {
            ok: false,
            error: 'media_too_large',
            message: `The file is ${formatBytes(bytes.byteLength)}; WhatsApp takes ${contentType.startsWith('image/') ? 'images' : 'this kind of file'} up to ${formatBytes(limit)}.`,
        };
    }
    const named = extensionOf(claims.filename);
    if (named !== null && !extensions.includes(named)) {
        return {
            ok: false,
            error: 'media_type_not_allowed',
            message: `The file is named .${named} but contains ${contentType}. Rename it to .${extensions[0]} or choose another file.`,
        };
    }
    return { ok: true, contentType, extension: named ?? extensions[0] ?? '' };
}
function extensionOf(filename) {
    if (!filename)
        return null;
    const base = filename.split(/[\\/]/).pop() ?? '';
    const dot = base.lastIndexOf('.');
    return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : null;
}
function formatBytes(n) {
    if (n >= 1024 * 1024)
        return `${(n / (1024 * 1024)).toFixed(1)} MB`;
    if (n >= 1024)
        return `${(n / 1024).toFixed(1)} KB`;
    return `${n} bytes`;
}
//# sourceMappingURL=validate.js.map