// A real OpenID Connect provider for the sign-in tests: npm `oidc-provider` (OpenID certified),
// started on loopback by tests/oidc/conftest.py and stopped after the tests.
//
// It listens on 127.0.0.1 on a port the system picks, then prints one line of JSON with its
// issuer ({"issuer": "http://127.0.0.1:PORT"}) so the test knows where it is. Its configuration
// comes as JSON in the environment variable OIDC_TEST_CONFIG:
//   {"clients": [<client metadata>], "accounts": {"<login>": {<claims>}}}
// The login form is oidc-provider's development form: any password is accepted and the login
// name is the account (`sub`). Authorization-code flow only, PKCE (S256) required, consent
// taken as given (as for an enterprise application the municipality's IT has approved), and
// RP-initiated logout at the end_session_endpoint.
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG || '{}');
const accounts = config.accounts || {};

const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: config.clients || [],
    responseTypes: ['code'],
    pkce: { required: () => true },
    cookies: { keys: ['sammen-tests-only-not-a-secret'] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'oid', 'preferred_username'],
      email: ['email'],
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    async findAccount(ctx, id) {
      const claims = accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    // Consent is given by the organisation, not asked of each person.
    async loadExistingGrant(ctx) {
      const { client, session, params } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope(params.scope || 'openid');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Never outlive the test run: stop when the test process closes our standard input.
process.stdin.on('end', stop);
process.stdin.resume();
