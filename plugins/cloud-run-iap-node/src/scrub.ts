/**
 * Removes what must not leave the node layer in an error or a log line: service-account and
 * service-agent e-mails of every `*.gserviceaccount.com` domain (plain, `serviceAccount:`-prefixed
 * or URL-encoded), OAuth access tokens, bearer headers and PEM private keys.
 */
export function scrubGoogleText(text: string): string {
  return text
    .replace(
      /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
      '<private key>',
    )
    .replace(
      /[a-z0-9._%+-]+(?:@|%40)(?:[a-z0-9-]+\.)*gserviceaccount\.com/gi,
      '<service account>',
    )
    .replace(/\bya29\.[\w.-]+/g, '<token>')
    .replace(/\bBearer\s+[\w.~+/-]+=*/gi, 'Bearer <token>');
}
