/**
 * The protocol's plain values for the panel, from the package's dependency-free module, so the
 * bundle carries no schema code.
 */
export {
  CONVERSATION_STATES,
  PRESENCES,
  ROUTABLE_PRESENCES,
  WHATSAPP_MAX_BUTTON_TITLE_CHARS,
  WHATSAPP_MAX_BUTTONS,
  WHATSAPP_MEDIA_TYPES,
  WINDOW_EXPIRED_MESSAGE,
  isTemplateSendable,
  repeatedButtonTitle,
  whatsappBodyLength,
  whatsappBodyLimit,
  whatsappMediaMaxBytes,
  WRAP_UP_SUMMARY_MAX_CHARS,
} from '@wcp/protocol/values';
