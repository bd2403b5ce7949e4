/** The customer's sentiment from the relay's per-message figures: one home, shared with the relay (its CRM record), in @wcp/protocol. */
export * from '@wcp/protocol/sentiment';
