let tracer = null;
export function installTracer(installed) {
    tracer = installed;
}
export function inSpan(name, attributes, work, follows) {
    return tracer ? tracer.inSpan(name, attributes, work, follows) : work();
}
/** The API queued a reply: the outbox's send of it continues this trace. */
export function rememberSpan(key) {
    tracer?.remember(key);
}
/** The store with each call a span (`store.recordInbound`, ...): used only when tracing is on. */
export function tracedStore(store) {
    return new Proxy(store, {
        get(target, property, receiver) {
            const value = Reflect.get(target, property, receiver);
            if (typeof value !== 'function' || typeof property !== 'string')
                return value;
            return (...args) => inSpan(`store.${property}`, { 'db.system': target.kind }, () => value.apply(target, args));
        },
    });
}
//# sourceMappingURL=spans.js.map