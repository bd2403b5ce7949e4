/**
 * This machine, by a URL's hostname (`new URL(...).hostname`: IPv6 in brackets): where a test's
 * fake may be reached over plain http (Entra's authority, a fake Twilio redirecting to itself).
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
