/**
 * Every half minute on every relay: marks the agents whose panels have their event stream open
 * here, then sets Offline those no relay has seen for OFFLINE_AFTER_DISCONNECT
 * (usecases/absent-agents.ts). A stream opening marks its agent at once (routes/api/events.ts),
 * so an agent back within the time is never set Offline.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bus } from '../bus/port.ts';
import type { Clock } from '../domain/clock.ts';
import type { EventHub } from '../events/hub.ts';
import type { Store } from '../store/port.ts';
import { runNowAndEvery } from './repeating.ts';

export const PANELS_SEEN_EVERY_MS = 30_000;

export class AbsentAgents {
  private stopRunning: (() => void) | null = null;
  private readonly startedAt: number;

  constructor(
    private readonly store: Pick<Store, 'markPanelsSeen' | 'signOutAbsentAgents'>,
    private readonly hub: Pick<EventHub, 'connectedAgentIds'>,
    private readonly bus: Pick<Bus, 'publish'>,
    private readonly clock: Clock,
    /** OFFLINE_AFTER_DISCONNECT; 0: panels are still marked, nobody is set Offline. */
    private readonly offlineAfterMs: number,
    private readonly log: Pick<FastifyBaseLogger, 'info' | 'warn'>,
  ) {
    this.startedAt = clock.now();
  }

  start(): void {
    this.stopRunning ??= runNowAndEvery(PANELS_SEEN_EVERY_MS, () => this.pass(), (err) => this.log.warn({ err }, 'absent agents: pass failed'));
  }

  stop(): void {
    this.stopRunning?.();
    this.stopRunning = null;
  }

  /** One pass; returns the ids of the agents set Offline. */
  async pass(): Promise<string[]> {
    const now = this.clock.now();
    await this.store.markPanelsSeen(this.hub.connectedAgentIds(), now);
    // Just started (after a restart, or an outage of every relay), the panels have not had the
    // time to come back: nobody is set Offline for being away while no relay answered.
    if (this.offlineAfterMs === 0 || now - this.startedAt < this.offlineAfterMs) return [];
    const signedOut = await this.store.signOutAbsentAgents(now - this.offlineAfterMs, now);
    if (signedOut.length === 0) return [];
    this.log.info({ agents: signedOut.length }, 'agents whose panels were gone set Offline');
    this.bus.publish('events');
    return signedOut.map((a) => a.id);
  }
}
