const REDACTED = [
    'req.headers.authorization',
    'req.headers["x-twilio-signature"]',
    'req.headers.cookie',
    // "Key (customer_phone, business_phone)=(+4477…, …) already exists": row values, not for logs.
    'err.detail',
    'err.where',
    'err.parameters',
];
export function loggerOptions(level, stream) {
    return { level, redact: { paths: REDACTED, censor: '[redacted]' }, ...(stream ? { stream } : {}) };
}
//# sourceMappingURL=logging.js.map