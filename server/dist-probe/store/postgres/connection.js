/** Without a logger of its own, one JSON line on stderr (the relay's log format). */
export const stderrLogger = {
    warn(obj, msg) {
        const fields = Object.fromEntries(Object.entries(obj).map(([key, value]) => [key, value instanceof Error ? { type: value.name, message: value.message, code: value.code } : value]));
        process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), ...fields, msg })}\n`);
    },
};
/** Logs a pool's idle-connection errors instead of letting them end the process. Returns the pool. */
export function guardPool(pool, name, logger = stderrLogger) {
    pool.on('error', (err) => {
        logger.warn({ err, pool: name }, 'postgres: an idle connection failed; it was dropped and the next query reconnects');
    });
    return pool;
}
/** pool.connect() with an 'error' listener for as long as the client is out of the pool. */
export async function checkout(pool, name, logger = stderrLogger) {
    const client = await pool.connect();
    let broken;
    let released = false;
    const onError = (err) => {
        broken ??= err;
        logger.warn({ err, pool: name }, 'postgres: a connection in use failed; it will be destroyed, not reused');
    };
    client.on('error', onError);
    return {
        client,
        get broken() {
            return broken;
        },
        release(error) {
            if (released)
                return;
            released = true;
            const reason = broken ?? error;
            // Once released, the pool listens again (and destroys a broken client at once).
            client.removeListener('error', onError);
            // A broken client may still emit (socket close after the error): keep it from crashing.
            if (reason)
                client.on('error', () => undefined);
            client.release(reason ?? undefined);
        },
    };
}
/** PostgreSQL SQLSTATEs of a lost or refused connection: admin shutdown, crash shutdown, cannot connect now, connection exceptions. */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
/** Node's socket errors on the way to the database. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = [
    /Connection terminated/i,
    /terminating connection/i,
    /Client has encountered a connection error/i,
    /Client was closed and is not queryable/i,
    /timeout exceeded when trying to connect/i,
    /Cannot use a pool after calling end/i,
];
/** True when `error` means the database could not be reached (or the connection died), not that a statement failed. */
export function isConnectionError(error) {
    for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause, depth++) {
        const code = e.code;
        if (typeof code === 'string' && (CONNECTION_SQLSTATES.has(code) || SOCKET_CODES.has(code)))
            return true;
        // An AggregateError (every address of localhost refused) carries the causes in `errors`.
        const inner = e.errors;
        if (Array.isArray(inner) && inner.some((x) => isConnectionError(x)))
            return true;
        const message = e.message;
        if (typeof message === 'string' && CONNECTION_MESSAGES.some((re) => re.test(message)))
            return true;
    }
    return false;
}
//# sourceMappingURL=connection.js.map