/** A Content API resource with its WhatsApp approval, as ContentAndApprovals returns it. */
export interface FakeTemplate {
  sid: string;
  friendly_name: string;
  language: string;
  variables: Record<string, string>;
  types: Record<string, Record<string, unknown>>;
  approval_requests: { name: string; category: string; content_type: string; status: string; rejection_reason: string; allow_category_change: boolean };
}

export function defaultTemplates(): FakeTemplate[] {
  return [
    {
      sid: 'HX' + '1'.repeat(32),
      friendly_name: 'order_update',
      language: 'en',
      variables: { '1': 'Ana', '2': '12345' },
      types: { 'twilio/text': { body: 'Hi {{1}}, your order {{2}} has shipped.' } },
      approval_requests: approval('order_update', 'UTILITY', 'twilio/text', 'approved'),
    },
    {
      sid: 'HX' + '2'.repeat(32),
      friendly_name: 'appointment_reminder',
      language: 'pt_BR',
      variables: { '1': 'amanhã', '2': '10:00' },
      types: {
        'whatsapp/card': {
          body: 'Lembrete: sua consulta é {{1}} às {{2}}.',
          footer: 'Responda para remarcar',
          actions: [{ type: 'QUICK_REPLY', title: 'Remarcar', id: 'reschedule' }],
        },
      },
      approval_requests: approval('appointment_reminder', 'UTILITY', 'whatsapp/card', 'approved'),
    },
    {
      sid: 'HX' + '3'.repeat(32),
      friendly_name: 'spring_sale',
      language: 'en',
      variables: { '1': 'Ana' },
      types: { 'twilio/text': { body: '{{1}}, 20% off everything!' } },
      approval_requests: {
        ...approval('spring_sale', 'MARKETING', 'twilio/text', 'rejected'),
        rejection_reason: 'INVALID_FORMAT',
      },
    },
    {
      sid: 'HX' + '4'.repeat(32),
      friendly_name: 'draft_greeting',
      language: 'en',
      variables: {},
      types: { 'twilio/text': { body: 'Hello!' } },
      approval_requests: approval('', '', '', 'unsubmitted'),
    },
  ];
}

export function approval(name: string, category: string, contentType: string, status: string): FakeTemplate['approval_requests'] {
  return { name, category, content_type: contentType, status, rejection_reason: '', allow_category_change: false };
}
