export const systemClock = { now: () => Date.now() };
/** A clock tests and the simulator move by hand. */
export class ManualClock {
    current;
    constructor(current = Date.parse('2026-01-01T09:00:00Z')) {
        this.current = current;
    }
    now() {
        return this.current;
    }
    advance(ms) {
        this.current += ms;
    }
    set(ms) {
        this.current = ms;
    }
}
/** System time plus an offset: simulator mode's "move the clock forward". */
export class OffsetClock {
    base;
    offsetMs = 0;
    constructor(base = systemClock) {
        this.base = base;
    }
    now() {
        return this.base.now() + this.offsetMs;
    }
    advance(ms) {
        this.offsetMs += ms;
    }
    get offset() {
        return this.offsetMs;
    }
}
export const iso = (ms) => new Date(ms).toISOString();
export const isoOrNull = (ms) => (ms === null ? null : iso(ms));
//# sourceMappingURL=clock.js.map