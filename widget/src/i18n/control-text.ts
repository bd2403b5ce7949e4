import { msg, str } from '@lit/localize';

/**
 * What the Power Apps control itself says (pcf/WhatsAppPanel: its notice above the panel, and the
 * errors of its Dataverse CRM adapter that the panel shows), in the agent's language like the
 * panel below it: the control builds these texts from here, so each has one home.
 */
export const controlText = {
  phoneNotInternational: (rawPhone: string) =>
    msg(str`The phone number "${rawPhone}" is not in international format (+ and country code), so WhatsApp cannot be matched to it.`),
  caseNeedsCustomer: () => msg('A case needs a customer: link the conversation to a contact or an account first.'),
  dataverseFailed: () => msg('Dataverse did not complete the request.'),
  unsupportedEntity: (entityType: string) => msg(str`Linking to "${entityType}" records is not supported.`),
  // The control's configuration, set by an administrator in the form's control properties.
  noRelayUrl: () => msg('The WhatsApp panel has no relay URL. An administrator sets "Relay URL" in the control properties of this form.'),
  relayUrlInvalid: (value: string) => msg(str`The relay URL "${value}" is not a valid URL. It must look like https://relay.contoso.com.`),
  relayUrlNotHttps: (value: string) => msg(str`The relay URL "${value}" must use https:// (http:// only for a relay on localhost).`),
  relayUrlHasExtras: (value: string) => msg(str`The relay URL "${value}" must not contain credentials, a query or a fragment.`),
  unknownAuthMode: (mode: string) => msg(str`Unknown authentication mode "${mode}": use "entra" or "dev".`),
};

/**
 * The agent's language for the control's own notices, when there is no panel to set it (a
 * configuration error shows instead of the panel).
 */
export { useLocale } from './locale.js';
