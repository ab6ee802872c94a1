/**
 * The redaction of credentials from messages, outputs and log lines (provider/redaction.ts): URLs
 * keep scheme, host and path but lose user info, query values and fragment; quoted Authorization
 * and cookie headers lose their values; credential values the process was given are blanked
 * wherever they appear.
 */

import * as assert from "assert";
import { GraphRequestError } from "../../provider/graph/errors";
import { logLine, setLogSink } from "../../provider/graph/log";
import { forgetSecretValues, redactBody, redactText, rememberSecretValues } from "../../provider/redaction";
import { UNKNOWN } from "../../provider/validation";

describe("redaction", () => {
  afterEach(() => forgetSecretValues());

  describe("URLs in text", () => {
    it("keeps scheme, host and path, and drops user info, query values and fragment", () => {
      assert.strictEqual(
        redactText("could not reach https://admin:hunter2@scim.example.com:8443/scim/v2?token=abc&tenant=t1#k=v today"),
        "could not reach https://***@scim.example.com:8443/scim/v2?token=***&tenant=***#*** today",
      );
      assert.strictEqual(redactText("at https://user@host/p."), "at https://***@host/p.");
    });

    it("leaves URLs without credentials, and text without URLs, as they are", () => {
      for (const text of [
        "GET https://scim.example.com/scim/v2/Users answered 401 Unauthorized",
        "https://graph.microsoft.com/v1.0/servicePrincipals/6cf1a4f2-191a-4055-9c8b-f4f6a4c7b9ac",
        "The state of the user in both the source and target systems already match.",
        "name@contoso.com has department 'Sales'; ratio 3/4?",
        "",
      ]) {
        assert.strictEqual(redactText(text), text);
      }
    });

    it("keeps parameter names without values (?aadOptscim062020) and empty values", () => {
      assert.strictEqual(redactText("https://h/scim?aadOptscim062020&key=&token=x"), "https://h/scim?aadOptscim062020&key=&token=***");
    });

    it("redacts the provisioning service's test-connection message and keeps the rest of it", () => {
      const message = [
        "While attempting to validate our authorization to access your application, we received this unexpected response:",
        "",
        "Received response from Web resource.",
        '   Resource: https://u:p@127.0.0.1:4443/scim/v2/Users?token=CANARY&filter=userName+eq+"830b69cc-06d4-4dbf-a33d-3b8b0828301a"',
        "   Operation: GET ",
        "   Response Status Code: Unauthorized",
        '   Response Headers: www-authenticate: Bearer realm="scim", error="invalid_token"',
      ].join("\r\n");
      const redacted = redactText(message);
      assert.ok(!redacted.includes("CANARY") && !redacted.includes("u:p@"), redacted);
      assert.match(redacted, /\r\n {3}Resource: https:\/\/\*\*\*@127\.0\.0\.1:4443\/scim\/v2\/Users\?token=\*\*\*&filter=\*\*\*\r\n {3}Operation: GET \r\n/);
      assert.match(redacted, /www-authenticate: Bearer realm="scim", error="invalid_token"$/, "the target's challenge is not a credential");
    });

    it("ends a URL where the JSON string or the quotes around it end", () => {
      assert.strictEqual(redactText('{"location":"https://h/Users/1?sig=abc","detail":"x"}'), '{"location":"https://h/Users/1?sig=***","detail":"x"}');
      assert.strictEqual(redactText("Invalid URL 'https://h/p?key=abc'."), "Invalid URL 'https://h/p?key=***'.");
      assert.strictEqual(redactText("see <https://u:p@h/p>"), "see <https://***@h/p>");
    });

    it("handles every URL of a text, whatever its scheme", () => {
      assert.strictEqual(
        redactText("tried http://h1/a?x=1 then ldaps://cn:pw@dc.contoso.com/ then https://h3/c#frag"),
        "tried http://h1/a?x=*** then ldaps://***@dc.contoso.com/ then https://h3/c#***",
      );
    });
  });

  describe("headers quoted in text", () => {
    it("keeps the scheme of Authorization headers and drops cookies", () => {
      assert.strictEqual(redactText("Authorization: Bearer eyJ0eXAi.abc.def\r\nAccept: */*"), "Authorization: Bearer ***\r\nAccept: */*");
      assert.strictEqual(redactText("proxy-authorization=Basic dXNlcjpwYXNz"), "proxy-authorization=Basic ***");
      assert.strictEqual(redactText("Set-Cookie: session=abc; Path=/; HttpOnly\r\nDate: today"), "Set-Cookie: ***\r\nDate: today");
    });
  });

  describe("remembered credential values", () => {
    it("are blanked wherever they appear, as written, percent-encoded or escaped in JSON", () => {
      rememberSecretValues({ SecretToken: 'tok/en+"42"', Password: "correct horse" });
      assert.strictEqual(redactText('the target said: invalid token tok/en+"42"'), "the target said: invalid token ***");
      assert.strictEqual(redactText("GET /x?t=tok%2Fen%2B%2242%22"), "GET /x?t=***");
      assert.strictEqual(redactText('{"detail":"tok/en+\\"42\\" rejected"}'), '{"detail":"*** rejected"}');
      assert.strictEqual(redactText("user 'correct horse' unknown"), "user '***' unknown");
    });

    it("of a URL are its credential parts only: host and path stay readable", () => {
      rememberSecretValues({ BaseAddress: "https://scimuser:s3cret-pw@scim.example.com/scim?api_key=k-123456&flag" });
      assert.strictEqual(redactText("echo: s3cret-pw scimuser k-123456 at scim.example.com/scim"), "echo: *** *** *** at scim.example.com/scim");
    });

    it("ignore short values, unknown values (preview) and anything that is not a string", () => {
      rememberSecretValues(["true", "admin", UNKNOWN, 42, undefined]);
      rememberSecretValues(undefined);
      rememberSecretValues("a-plain-string");
      rememberSecretValues(UNKNOWN);
      assert.strictEqual(redactText(`admin set true for ${UNKNOWN}: a-plain-string`), `admin set true for ${UNKNOWN}: a-plain-string`);
    });

    it("are replaced longest first", () => {
      rememberSecretValues(["abcdef", "abcdefghij"]);
      assert.strictEqual(redactText("x abcdefghij y abcdef"), "x *** y ***");
    });
  });

  describe("bodies", () => {
    it("blank members named like credentials and redact every other string", () => {
      assert.deepStrictEqual(
        redactBody({
          error: { code: "X", message: "see https://u:p@h/p?t=1", innerError: { "request-id": "r1" } },
          value: [{ key: "SecretToken", value: "abc" }],
          clientSecret: "s",
          count: 3,
        }),
        {
          error: { code: "X", message: "see https://***@h/p?t=***", innerError: { "request-id": "r1" } },
          value: [{ key: "SecretToken", value: "***" }],
          clientSecret: "***",
          count: 3,
        },
      );
    });
  });

  describe("where the provider applies it", () => {
    const quoted = "We received this unexpected response from https://u:pw-canary@scim.example.com/scim/Users?token=q-canary";

    it("Graph errors keep Graph's message, body and their own message redacted", () => {
      const e = new GraphRequestError({
        operation: "validate synchronization credentials",
        method: "POST",
        path: "/servicePrincipals/sp/synchronization/jobs/validateCredentials",
        status: 400,
        code: "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
        graphMessage: quoted,
        body: { error: { code: "UnknownError", message: JSON.stringify({ error: { message: quoted } }) } },
      });
      for (const text of [e.message, e.graphMessage, JSON.stringify(e.body)]) {
        assert.ok(!/canary/.test(text), text);
        assert.ok(text.includes("https://***@scim.example.com/scim/Users?token=***"), text);
      }
    });

    it("log lines (retries, progress) are redacted in the one sink", () => {
      const lines: string[] = [];
      const restore = setLogSink((line) => lines.push(line));
      try {
        logLine(`job j: waiting: ${quoted}`);
      } finally {
        restore();
      }
      assert.deepStrictEqual(lines, ["entra-sync: job j: waiting: We received this unexpected response from https://***@scim.example.com/scim/Users?token=***"]);
    });
  });
});
