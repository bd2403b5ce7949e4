/**
 * The error codes the agent API answers with (`{ error, message }`) and the HTTP status of
 * each. The relay raises them; the panel and the OpenAPI document read them from here.
 */
export const ERROR_STATUS = {
  not_found: 404,
  // Supervisor-only routes, to an agent. (Another agent's conversation is a not_found, never this.)
  forbidden: 403,
  invalid_transition: 409,
  offer_not_yours: 409,
  offer_expired: 409,
  window_expired: 422,
  invalid_request: 400,
  media_not_found: 404,
  // An upload goes into one conversation: sending it in another would take it from the first's transcript.
  media_already_sent: 409,
  not_retryable: 409,
  opted_out: 422,
  body_too_long: 422,
  template_not_approved: 422,
  unknown_template: 422,
  templates_unavailable: 502,
  // Team work: queues, transfer, consult, wrap-up
  disposition_required: 422,
  unknown_disposition: 422,
  agent_unavailable: 409,
  transfer_to_self: 422,
  consult_only: 403,
  conversation_closed: 409,
  // A business number routes to one queue: taking it into another is the supervisor's explicit step.
  number_in_another_queue: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
