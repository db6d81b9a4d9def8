// The OpenID Connect provider of the sign-in tests (testkit::oidc): npm oidc-provider with
// its development login and consent pages (any password), one confidential client, and two
// people: alice, whose address the provider verified, and bob, whose address it did not.
// A second client, `<OIDC_CLIENT_ID>-post`, sends its secret in the token request's form.
// OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URIS (comma-separated)
// configure it; it prints "listening" when it accepts connections.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const people = {
  alice: {
    email: 'alice@example.com',
    email_verified: true,
    given_name: 'Alice',
    family_name: 'Anders',
    nickname: 'ally',
    preferred_username: 'alice',
  },
  bob: {
    email: 'bob@example.com',
    email_verified: false,
    given_name: 'Bob',
    family_name: 'Berg',
    preferred_username: 'bob',
  },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: process.env.OIDC_REDIRECT_URIS.split(','),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    // The same client for plain OAuth 2.0 (credentials in the form, as Mattermost sends them).
    {
      client_id: `${process.env.OIDC_CLIENT_ID}-post`,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: process.env.OIDC_REDIRECT_URIS.split(','),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'nickname', 'preferred_username'],
  },
  scopes: ['openid', 'email', 'profile'],
  async findAccount(ctx, id) {
    const person = people[id];
    if (!person) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...person }; } };
  },
  features: { devInteractions: { enabled: true } },
  // The ID token carries the claims (no userinfo round trip needed).
  conformIdTokenClaims: false,
  cookies: { keys: ['utmost-test-oidc-cookie-key'] },
});

// A failure inside the provider is printed, so a failing test shows why.
provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error:', err));

provider.listen(port, '127.0.0.1', () => console.log('listening'));
