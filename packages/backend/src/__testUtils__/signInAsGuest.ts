/**
 * A guest's Backstage token from the guest provider of the backend at `baseUrl`, once the sign-in
 * finds the guest's user entity and its groups: the catalog loads the example files in the
 * background, so the first attempts may fail or name no group.
 */
export async function signInAsGuest(
  baseUrl: string,
  options: { group: string; timeoutMs?: number },
): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (res.ok) {
      const { backstageIdentity } = (await res.json()) as {
        backstageIdentity: {
          token: string;
          identity: { ownershipEntityRefs: string[] };
        };
      };
      if (
        backstageIdentity.identity.ownershipEntityRefs.includes(options.group)
      ) {
        return backstageIdentity.token;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`guest sign-in did not succeed: ${res.status}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}
