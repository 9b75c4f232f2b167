/**
 * Fake secrets of every shape `scrubSecrets` knows, built from a random body at run time so that
 * this repository contains no string a secret scanner would flag. Shared by the content tests.
 *
 * @module
 */
import fc from "fast-check";

/** One planted secret: the text to embed, and the random part that must never be output. */
export interface Planted {
  text: string;
  secret: string;
}

/** A way of planting a secret, and the `[REDACTED:<kind>]` kind it must be reported as. */
export interface SecretShape {
  name: string;
  kind: string;
  /** The replacement runs to the end of the text (a private key with no END line). */
  toEnd?: true;
  plant(body: string): Planted;
}

/** `body` repeated or cut to exactly `length` characters. */
export function fit(body: string, length: number): string {
  return body.repeat(Math.ceil(length / body.length)).slice(0, length);
}

function upper(body: string): string {
  return body.toUpperCase();
}

function hex(body: string): string {
  return [...body].map((char) => (char.charCodeAt(0) % 16).toString(16)).join("");
}

function token(prefix: string, secret: string, suffix = ""): Planted {
  return { text: prefix + secret + suffix, secret };
}

/** Every shape, one realistic sample each. */
export const SECRET_SHAPES: SecretShape[] = [
  {
    name: "OpenAI project key",
    kind: "openai-key",
    plant: (b) => token("export OPENAI_API_KEY=sk-" + "proj-", fit(b, 120)),
  },
  {
    name: "OpenAI legacy key",
    kind: "openai-key",
    plant: (b) => token("sk-", fit(b, 48)),
  },
  {
    name: "Anthropic key",
    kind: "anthropic-key",
    plant: (b) => token("ANTHROPIC_API_KEY='sk-" + "ant-api03-", fit(b, 93), "AA'"),
  },
  {
    name: "AWS access key id",
    kind: "aws-access-key-id",
    plant: (b) => token("aws configure set aws_access_key_id AK" + "IA", fit(upper(b), 16)),
  },
  {
    name: "AWS temporary access key id",
    kind: "aws-access-key-id",
    plant: (b) => token('"AccessKeyId": "AS' + "IA", fit(upper(b), 16), '"'),
  },
  {
    name: "AWS secret access key",
    kind: "aws-secret-key",
    plant: (b) => token("aws_secret_access_key = ", fit(b, 40)),
  },
  {
    name: "GitHub personal access token (classic)",
    kind: "github-token",
    plant: (b) => token("git push https://x-access-token:gh" + "p_", fit(b, 36), "@github.com/o/r"),
  },
  {
    name: "GitHub OAuth token",
    kind: "github-token",
    plant: (b) => token("GH_TOKEN=gh" + "o_", fit(b, 36)),
  },
  {
    name: "GitHub fine-grained token",
    kind: "github-token",
    plant: (b) => token("github_" + "pat_11AAAAAAA0", fit(b, 72)),
  },
  {
    name: "GitLab token",
    kind: "gitlab-token",
    plant: (b) => token('curl --header "PRIVATE-TOKEN: gl' + "pat-", fit(b, 20), '"'),
  },
  {
    name: "Slack bot token",
    kind: "slack-token",
    plant: (b) => token("xox" + "b-123456789012-1234567890123-", fit(b, 24)),
  },
  {
    name: "Slack webhook",
    kind: "slack-webhook",
    plant: (b) => token("curl https://hooks.slack.com/services/T0123/B0456/", fit(b, 24)),
  },
  {
    name: "Stripe secret key",
    kind: "stripe-key",
    plant: (b) => token("stripe.api_key = sk_" + "live_", fit(b, 24)),
  },
  {
    name: "Stripe restricted key",
    kind: "stripe-key",
    plant: (b) => token("rk_" + "live_", fit(b, 24)),
  },
  {
    name: "Google API key",
    kind: "google-api-key",
    plant: (b) => token("https://maps.example.com/api?key=AI" + "za", fit(b, 35)),
  },
  {
    name: "Google OAuth access token",
    kind: "google-oauth-token",
    plant: (b) => token("ya" + "29.", fit(b, 60)),
  },
  {
    name: "npm token",
    kind: "npm-token",
    plant: (b) => token("//registry.npmjs.org/:_authToken=np" + "m_", fit(b, 36)),
  },
  {
    name: "Hugging Face token",
    kind: "huggingface-token",
    plant: (b) => token("hf" + "_", fit(b, 34)),
  },
  {
    name: "PyPI token",
    kind: "pypi-token",
    plant: (b) => token("pypi-" + "AgEIcHlwaS5vcmc", fit(b, 60)),
  },
  {
    name: "DigitalOcean token",
    kind: "digitalocean-token",
    plant: (b) => token("do" + "p_v1_", hex(fit(b, 64))),
  },
  {
    name: "SendGrid key",
    kind: "sendgrid-key",
    plant: (b) => token("SG" + "." + fit(b, 22) + ".", fit(b + "x", 43)),
  },
  {
    name: "JWT",
    kind: "jwt",
    plant: (b) => token("ey" + "JhbGciOiJIUzI1NiJ9.ey" + "J", fit(b, 40) + "." + fit(b, 43)),
  },
  {
    name: "Authorization: Bearer",
    kind: "bearer-token",
    plant: (b) => token('curl -H "Authorization: Bearer ', fit(b, 40), '" https://x'),
  },
  {
    name: "Bearer in prose",
    kind: "bearer-token",
    plant: (b) => token("the header was Bearer ", fit(b, 32), " today"),
  },
  {
    name: "Authorization: Basic",
    kind: "basic-auth",
    plant: (b) => token("Authorization: Basic ", btoa("deploy:" + fit(b, 20))),
  },
  {
    name: "PEM private key",
    kind: "private-key",
    plant: (b) => {
      const body = fit(b, 64);
      return {
        text: "-----BEGIN RSA PRIVATE " + "KEY-----\nMIIEpAIBAAKCAQEA\n" + body + "\n" +
          "-----END RSA PRIVATE " + "KEY-----",
        secret: body,
      };
    },
  },
  {
    name: "PEM private key cut off before END",
    kind: "private-key",
    toEnd: true,
    plant: (b) => {
      const body = fit(b, 64);
      return { text: "-----BEGIN OPENSSH PRIVATE " + "KEY-----\n" + body, secret: body };
    },
  },
  {
    name: "password in a URL",
    kind: "url-password",
    plant: (b) => token("DATABASE_URL=postgres://app:", fit(b, 20), "@db.internal:5432/app"),
  },
  {
    name: "curl -u user:password",
    kind: "password",
    plant: (b) => token("curl -u deploy:", fit(b, 20), " https://api.example.com"),
  },
  {
    name: "KEY=value",
    kind: "secret",
    plant: (b) => token("DB_PASSWORD=", fit(b, 20)),
  },
  {
    name: "KEY: value (YAML)",
    kind: "secret",
    plant: (b) => token("  client_secret: ", fit(b, 20)),
  },
  {
    name: '"key": "value" (JSON)',
    kind: "secret",
    plant: (b) => token('{"apiKey": "', fit(b, 20), '"}'),
  },
  {
    name: "--password value",
    kind: "secret",
    plant: (b) => token("mysql --password ", fit(b, 20), " --user root"),
  },
  {
    name: "--token=value",
    kind: "secret",
    plant: (b) => token("gh auth login --with-token=", fit(b, 20)),
  },
  {
    name: "header X-Api-Key",
    kind: "secret",
    plant: (b) => token("X-Api-Key: ", fit(b, 20)),
  },
  {
    name: "export GITHUB_TOKEN with a non-vendor value",
    kind: "secret",
    plant: (b) => token('export GITHUB_TOKEN="', fit(b, 20), '"'),
  },
];

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * A random secret body: `Q7` (so it is never a placeholder such as `xxxx` or a plain word)
 * followed by 14 to 40 random letters and digits.
 */
export const secretBody: fc.Arbitrary<string> = fc
  .string({ unit: fc.constantFrom(...ALPHANUMERIC), minLength: 14, maxLength: 40 })
  .map((random) => "Q7" + random);

/** A fixed body for table tests. */
export const SAMPLE_BODY = "Q7mRt2XvLp9sWd4KzNb8Hc";

/**
 * Whether `output` shows any 12-character run of `secret`: catches a secret leaked in part, not
 * only whole.
 */
export function leaks(output: string, secret: string): boolean {
  const window = Math.min(12, secret.length);
  for (let i = 0; i + window <= secret.length; i++) {
    if (output.includes(secret.slice(i, i + window))) return true;
  }
  return false;
}
