import { fetchTwilioMedia } from "./twilio-media.js";
const TIMEOUT_MS = 5_000;
export async function readInboundMedia(deps, url, maxBytes) {
    if (deps.simulator)
        return deps.simulator.mediaBytes(url);
    const twilio = deps.config.twilio;
    if (!twilio)
        return null;
    const fetched = await fetchTwilioMedia(url, { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.apiBaseUrl, maxBytes, timeoutMs: TIMEOUT_MS });
    if (!fetched.ok)
        return null;
    try {
        return new Uint8Array(await new Response(fetched.body).arrayBuffer());
    }
    catch {
        // Over the cap, or the connection dropped mid-body.
        return null;
    }
}
//# sourceMappingURL=inbound-bytes.js.map