import { outboundStatusFromTwilio } from "./status.js";
/** WhatsApp caps a text message at 4096 characters; leave room for Twilio's own limits. */
export const MAX_INBOUND_BODY_CHARS = 4096 * 4;
/** Twilio delivers at most 10 media items per message. */
export const MAX_INBOUND_MEDIA = 10;
const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const WHATSAPP_ADDRESS = /^whatsapp:(\+[1-9]\d{1,14})$/;
export function parseInboundMessage(params) {
    const messageSid = single(params, 'MessageSid');
    if (!messageSid.ok)
        return messageSid;
    if (!messageSid.value)
        return refuse('MessageSid is missing');
    if (!MESSAGE_SID.test(messageSid.value))
        return refuse('MessageSid is not SM/MM followed by 32 hex digits');
    const accountSid = single(params, 'AccountSid');
    if (!accountSid.ok)
        return accountSid;
    if (!accountSid.value || !ACCOUNT_SID.test(accountSid.value)) {
        return refuse('AccountSid is missing or not AC followed by 32 hex digits');
    }
    const from = whatsappAddress(params, 'From');
    if (!from.ok)
        return from;
    const to = whatsappAddress(params, 'To');
    if (!to.ok)
        return to;
    const body = single(params, 'Body');
    if (!body.ok)
        return body;
    if ((body.value?.length ?? 0) > MAX_INBOUND_BODY_CHARS) {
        return refuse(`Body is longer than ${MAX_INBOUND_BODY_CHARS} characters`);
    }
    const media = parseMedia(params);
    if (!media.ok)
        return media;
    const optional = readOptional(params, [
        'ProfileName',
        'WaId',
        'OriginalRepliedMessageSid',
        'ButtonPayload',
        'ButtonText',
        'MessageType',
        'Forwarded',
        'FrequentlyForwarded',
        'ReferralSourceType',
        'ReferralSourceUrl',
        'ReferralHeadline',
        'ReferralBody',
        'ReferralCtwaClid',
    ]);
    if (!optional.ok)
        return optional;
    const { ProfileName, WaId, OriginalRepliedMessageSid, ButtonPayload, ButtonText, MessageType, Forwarded, FrequentlyForwarded } = optional.value;
    const v = optional.value;
    const location = parseLocation(params);
    if (!location.ok)
        return location;
    const referral = { sourceType: v.ReferralSourceType, sourceUrl: v.ReferralSourceUrl, headline: v.ReferralHeadline, body: v.ReferralBody, ctwaClid: v.ReferralCtwaClid };
    return {
        ok: true,
        value: {
            messageSid: messageSid.value,
            accountSid: accountSid.value,
            from: from.value,
            to: to.value,
            body: body.value ?? '',
            profileName: ProfileName,
            waId: WaId,
            media: media.value,
            originalRepliedMessageSid: OriginalRepliedMessageSid,
            buttonPayload: ButtonPayload,
            buttonText: ButtonText,
            messageType: MessageType,
            location: location.value,
            forwarded: Forwarded === 'true' || FrequentlyForwarded === 'true',
            referral: Object.values(referral).some((x) => x !== null) ? referral : null,
            // Read only for a message the panel cannot show (whatsapp-content.ts): copied then, not for every webhook.
            get raw() {
                return Object.fromEntries(Object.entries(params).filter((e) => typeof e[1] === 'string'));
            },
        },
    };
}
/** A shared location: Latitude and Longitude in range, or neither. */
function parseLocation(params) {
    const fields = readOptional(params, ['Latitude', 'Longitude', 'Address', 'Label']);
    if (!fields.ok)
        return fields;
    const { Latitude, Longitude, Address, Label } = fields.value;
    if (Latitude === null && Longitude === null)
        return { ok: true, value: null };
    const latitude = Number(Latitude);
    const longitude = Number(Longitude);
    if (Latitude === null || Longitude === null || !Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
        return refuse('Latitude and Longitude must both be numbers in range');
    }
    return { ok: true, value: { latitude, longitude, address: Address, label: Label } };
}
export function parseStatusCallback(params) {
    const messageSid = single(params, 'MessageSid');
    if (!messageSid.ok)
        return messageSid;
    if (!messageSid.value)
        return refuse('MessageSid is missing');
    if (!MESSAGE_SID.test(messageSid.value))
        return refuse('MessageSid is not SM/MM followed by 32 hex digits');
    // Older callbacks carry the same value as SmsStatus only.
    const rawStatus = single(params, params['MessageStatus'] !== undefined ? 'MessageStatus' : 'SmsStatus');
    if (!rawStatus.ok)
        return rawStatus;
    if (!rawStatus.value)
        return refuse('MessageStatus is missing');
    const status = outboundStatusFromTwilio(rawStatus.value);
    if (status === null)
        return refuse(`MessageStatus "${rawStatus.value}" is not an outbound message status`);
    const errorCode = single(params, 'ErrorCode');
    if (!errorCode.ok)
        return errorCode;
    let code = null;
    if (errorCode.value) {
        if (!/^\d{1,6}$/.test(errorCode.value))
            return refuse('ErrorCode is not a number');
        code = Number(errorCode.value);
    }
    const errorMessage = readOptional(params, ['ErrorMessage']);
    if (!errorMessage.ok)
        return errorMessage;
    const to = optionalAddress(params, 'To');
    if (!to.ok)
        return to;
    const from = optionalAddress(params, 'From');
    if (!from.ok)
        return from;
    return {
        ok: true,
        value: { messageSid: messageSid.value, status, errorCode: code, errorMessage: errorMessage.value.ErrorMessage, to: to.value, from: from.value },
    };
}
function parseMedia(params) {
    const numMedia = single(params, 'NumMedia');
    if (!numMedia.ok)
        return numMedia;
    const raw = numMedia.value ?? '0';
    if (!/^\d{1,2}$/.test(raw) || Number(raw) > MAX_INBOUND_MEDIA) {
        return refuse(`NumMedia must be an integer from 0 to ${MAX_INBOUND_MEDIA}`);
    }
    const media = [];
    for (let n = 0; n < Number(raw); n += 1) {
        const url = single(params, `MediaUrl${n}`);
        if (!url.ok)
            return url;
        const contentType = single(params, `MediaContentType${n}`);
        if (!contentType.ok)
            return contentType;
        if (!url.value || !contentType.value) {
            return refuse(`MediaUrl${n} and MediaContentType${n} are required when NumMedia is ${raw}`);
        }
        if (!/^https?:\/\//i.test(url.value))
            return refuse(`MediaUrl${n} is not an http(s) URL`);
        media.push({ url: url.value, contentType: contentType.value });
    }
    return { ok: true, value: media };
}
function whatsappAddress(params, name) {
    const raw = single(params, name);
    if (!raw.ok)
        return raw;
    if (!raw.value)
        return refuse(`${name} is missing`);
    const match = WHATSAPP_ADDRESS.exec(raw.value);
    if (!match?.[1])
        return refuse(`${name} is not a whatsapp:+E.164 address`);
    return { ok: true, value: match[1] };
}
/** Status callbacks sometimes omit To/From; when present they must be well formed. */
function optionalAddress(params, name) {
    const raw = single(params, name);
    if (!raw.ok)
        return raw;
    if (!raw.value)
        return { ok: true, value: null };
    const address = raw.value.startsWith('whatsapp:') ? raw.value.slice('whatsapp:'.length) : raw.value;
    if (!E164.test(address))
        return refuse(`${name} is not a whatsapp:+E.164 address`);
    return { ok: true, value: address };
}
/** Optional text fields; absent or empty becomes null. */
function readOptional(params, names) {
    const values = {};
    for (const name of names) {
        const value = single(params, name);
        if (!value.ok)
            return value;
        values[name] = value.value ? value.value : null;
    }
    return { ok: true, value: values };
}
/** Twilio sends each of these fields once; a repeated one is not a Twilio request. */
function single(params, name) {
    const value = params[name];
    if (Array.isArray(value))
        return refuse(`${name} appears more than once`);
    return { ok: true, value };
}
function refuse(reason) {
    return { ok: false, reason };
}
//# sourceMappingURL=inbound.js.map