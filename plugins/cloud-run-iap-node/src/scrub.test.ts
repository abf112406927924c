import { scrubGoogleText } from './scrub';

describe('scrubGoogleText', () => {
  it.each([
    'portal@acme-internal-apps.iam.gserviceaccount.com',
    'service-123456789012@gcp-sa-iap.iam.gserviceaccount.com',
    '123456789012-compute@developer.gserviceaccount.com',
    'acme-internal-apps@appspot.gserviceaccount.com',
    '123456789012@cloudservices.gserviceaccount.com',
    'PORTAL@ACME.IAM.GSERVICEACCOUNT.COM',
    'portal%40acme-internal-apps.iam.gserviceaccount.com',
  ])('removes the service account %s', email => {
    const scrubbed = scrubGoogleText(
      `Permission denied for serviceAccount:${email} on the resource`,
    );
    expect(scrubbed).toBe(
      'Permission denied for serviceAccount:<service account> on the resource',
    );
  });

  it('removes tokens and private keys, and keeps ordinary e-mails', () => {
    const scrubbed = scrubGoogleText(
      'token ya29.a0AfH6SMB-x_y.z header Bearer abc.def-ghi= key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- user alice@example.com',
    );
    expect(scrubbed).toBe(
      'token <token> header Bearer <token> key <private key> user alice@example.com',
    );
  });
});
