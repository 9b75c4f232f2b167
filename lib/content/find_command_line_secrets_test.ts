import assert from "node:assert/strict";
import fc from "fast-check";
import { leaks, SAMPLE_BODY, secretBody } from "../../tests/content/fake_secrets.ts";
import { findCommandLineSecrets } from "./find_command_line_secrets.ts";
import { scrubJsonStrings } from "./scrub_json_strings.ts";
import { mayHoldSecrets, scrubSecrets, scrubSecretsExhaustively } from "./scrub_secrets.ts";

const V = SAMPLE_BODY;
const R = "[REDACTED:secret]";

/**
 * A secret passed as its own argument, by CLI: the command before and after scrubbing. `V` is
 * the secret; only it becomes the marker, the command stays readable.
 */
const CASES: [string, string][] = [
  // Container registries: -p is the password only after `login`.
  [
    `docker login -u me -p ${V} registry.example.com`,
    `docker login -u me -p ${R} registry.example.com`,
  ],
  [`docker login -u me -p${V}`, `docker login -u me -p${R}`],
  [`docker login --username me --password ${V}`, `docker login --username me --password ${R}`],
  [`podman login -u me -p ${V} quay.io`, `podman login -u me -p ${R} quay.io`],
  [`nerdctl login -u me -p '${V}' ghcr.io`, `nerdctl login -u me -p '${R}' ghcr.io`],
  [`helm registry login ghcr.io -u me -p ${V}`, `helm registry login ghcr.io -u me -p ${R}`],
  [
    `helm repo add corp https://charts.example.com --username me --password ${V}`,
    `helm repo add corp https://charts.example.com --username me --password ${R}`,
  ],
  [
    `oc login https://api.example.com -u me -p ${V}`,
    `oc login https://api.example.com -u me -p ${R}`,
  ],
  [
    `kubectl create secret generic db --from-literal=host=db.internal --from-literal=pass_x=${V}`,
    `kubectl create secret generic db --from-literal=host=${R} --from-literal=pass_x=${R}`,
  ],
  [
    `kubectl create secret generic db --from-literal password=${V}`,
    `kubectl create secret generic db --from-literal password=${R}`,
  ],
  [`kubectl --token ${V} get pods`, `kubectl --token ${R} get pods`],
  [`kubectl --token=${V} get pods`, `kubectl --token=${R} get pods`],
  // Cloud CLIs.
  [
    `aws configure set aws_secret_access_key ${V} --profile ci`,
    `aws configure set aws_secret_access_key [REDACTED:aws-secret-key] --profile ci`,
  ],
  [`aws configure set aws_session_token ${V}`, `aws configure set aws_session_token ${R}`],
  [`az login -u me@example.com -p ${V}`, `az login -u me@example.com -p ${R}`],
  [
    `az login --service-principal -u app-id --password ${V} --tenant t1`,
    `az login --service-principal -u app-id --password ${R} --tenant t1`,
  ],
  [`doctl auth init -t ${V}`, `doctl auth init -t ${R}`],
  // Package managers.
  [
    `npm config set //registry.npmjs.org/:_authToken ${V}`,
    `npm config set //registry.npmjs.org/:_authToken ${R}`,
  ],
  [`npm set //npm.corp/:_password ${V}`, `npm set //npm.corp/:_password ${R}`],
  [`yarn config set npmAuthToken ${V}`, `yarn config set npmAuthToken ${R}`],
  [`yarn config set npmAuthIdent me:${V}`, `yarn config set npmAuthIdent ${R}`],
  [`pnpm config set //r.example/:_auth ${V}`, `pnpm config set //r.example/:_auth ${R}`],
  [`twine upload -u __token__ -p ${V} dist/*`, `twine upload -u __token__ -p ${R} dist/*`],
  [`poetry config pypi-token.pypi ${V}`, `poetry config pypi-token.pypi ${R}`],
  [`poetry config http-basic.corp me ${V}`, `poetry config http-basic.corp me ${R}`],
  [`cargo login ${V}`, `cargo login ${R}`],
  [`gh secret set DEPLOY_KEY --body ${V}`, `gh secret set DEPLOY_KEY --body ${R}`],
  [`git config --global user.password ${V}`, `git config --global user.password ${R}`],
  // Database clients: mysql takes the password only attached; `-p` alone prompts.
  [`mysql -uroot -p${V} app`, `mysql -uroot -p${R} app`],
  [`mysql -u root --password=${V} app`, `mysql -u root --password=${R} app`],
  [`mysqldump -uroot -p'${V}' app > dump.sql`, `mysqldump -uroot -p'${R}' app > dump.sql`],
  [
    `docker exec -it db mysql -uroot -p${V} -e 'show tables'`,
    `docker exec -it db mysql -uroot -p${R} -e 'show tables'`,
  ],
  [`redis-cli -h cache -a ${V} ping`, `redis-cli -h cache -a ${R} ping`],
  [`redis-cli --pass ${V} ping`, `redis-cli --pass ${R} ping`],
  [
    `mongosh --username admin -p ${V} mongodb://db`,
    `mongosh --username admin -p ${R} mongodb://db`,
  ],
  [`mongodump -u admin -p ${V} --db app`, `mongodump -u admin -p ${R} --db app`],
  [`sshpass -p ${V} ssh deploy@host`, `sshpass -p ${R} ssh deploy@host`],
  [`ldapsearch -x -D cn=admin -w ${V} -b dc=x`, `ldapsearch -x -D cn=admin -w ${R} -b dc=x`],
  [`sqlcmd -S db -U sa -P ${V} -Q 'select 1'`, `sqlcmd -S db -U sa -P ${R} -Q 'select 1'`],
  // Archives, keys and certificates.
  [`zip -P ${V} out.zip file`, `zip -P ${R} out.zip file`],
  [`7z a -p${V} out.7z dir`, `7z a -p${R} out.7z dir`],
  [
    `openssl pkcs12 -export -in c.pem -passout pass:${V} -out c.p12`,
    `openssl pkcs12 -export -in c.pem -passout pass:${R} -out c.p12`,
  ],
  [
    `keytool -importcert -keystore ks.jks -storepass ${V} -file ca.pem`,
    `keytool -importcert -keystore ks.jks -storepass ${R} -file ca.pem`,
  ],
  [`smbclient //srv/share -U me%${V}`, `smbclient //srv/share -U me%${R}`],
  // HTTP clients.
  [
    `curl -u 'me:${V}' https://api.example.com`,
    "curl -u 'me:[REDACTED:password]' https://api.example.com",
  ],
  // Shell variables set without `=`.
  [`set -gx GITHUB_TOKEN ${V}`, `set -gx GITHUB_TOKEN ${R}`],
  [`setenv DB_PASSWORD ${V}`, `setenv DB_PASSWORD ${R}`],
  // A secret piped or fed to a command that reads it from standard input.
  [
    `echo ${V} | docker login -u me --password-stdin ghcr.io`,
    `echo ${R} | docker login -u me --password-stdin ghcr.io`,
  ],
  [
    `printf '%s' '${V}' | gh auth login --with-token`,
    `printf '%s' '${R}' | gh auth login --with-token`,
  ],
  [`docker login -u me --password-stdin <<< ${V}`, `docker login -u me --password-stdin <<< ${R}`],
  // Quoting, escapes, separators and nested scripts.
  [`docker login -p "${V}" r && echo ok`, `docker login -p "${R}" r && echo ok`],
  [`cd app; docker login -p ${V} r|tee log`, `cd app; docker login -p ${R} r|tee log`],
  [`bash -lc "docker login -u me -p ${V} r"`, `bash -lc "docker login -u me -p ${R} r"`],
  [`bash -lc 'mysql -uroot -p${V} -e "select 1"'`, `bash -lc 'mysql -uroot -p${R} -e "select 1"'`],
  [
    `ssh deploy@host "sudo sh -c 'redis-cli -a ${V} flushall'"`,
    `ssh deploy@host "sudo sh -c 'redis-cli -a ${R} flushall'"`,
  ],
  [`docker login -p "a\\"${V}" r`, `docker login -p ${R} r`],
  [`docker \\\n  login -u me \\\n  -p ${V} r`, `docker \\\n  login -u me \\\n  -p ${R} r`],
  [`/usr/local/bin/redis-cli -a ${V}`, `/usr/local/bin/redis-cli -a ${R}`],
  [`x=$(redis-cli -a ${V} get k)`, `x=$(redis-cli -a ${R} get k)`],
];

/** Commands that hold no secret: they must come back byte for byte. */
const UNCHANGED = [
  "docker run -p 8080:80 -p 443:443 nginx",
  "docker run -d -p 5432:5432 -e POSTGRES_USER=app postgres",
  "podman run -p 3000:3000 app",
  "ssh -p 2222 deploy@host",
  "ssh -l login -p 22 host",
  "mkdir -p build/out && cp -p a.txt build/out/",
  "git log -p -- src/",
  "grep -p pattern file",
  "mysql -u root -p app_db",
  "mysql -p -e 'select 1'",
  "mysql -h db -P 3306 -u root app",
  "az login",
  "az login --use-device-code",
  "docker login ghcr.io",
  "docker login -u me --password-stdin ghcr.io < token.txt",
  'echo "$GITHUB_TOKEN" | gh auth login --with-token',
  "cat token.txt | docker login -u me --password-stdin",
  "gh auth login --with-token < token.txt",
  "gcloud auth print-access-token --access-token-file /tmp/token.json",
  "gcloud auth activate-service-account --key-file=/secrets/sa.json",
  "docker login -p $REGISTRY_PASSWORD r",
  'docker login -p "${REGISTRY_PASSWORD}" r',
  "mysql -uroot -p$MYSQL_PWD app",
  "aws configure set region eu-west-1",
  "aws configure set aws_access_key_id $AWS_ACCESS_KEY_ID",
  "npm config set registry https://registry.npmjs.org/",
  "yarn config set npmRegistryServer https://npm.example.com",
  "git config --global user.name Ada",
  "kubectl create secret generic db --from-file=./password.txt",
  "kubectl get secret db -o yaml",
  "redis-cli -h cache ping",
  "cargo login",
  "set -euo pipefail",
  "set -gx PATH /usr/local/bin $PATH",
  "echo done | tee login.txt",
  "openssl pkcs12 -export -passout env:P12_PASSWORD -out c.p12",
  "openssl req -new -passin file:pass.txt -key k.pem",
  "7z x archive.7z -p",
  "zip -r out.zip dir",
  "curl -u me https://api.example.com",
  "curl -fsSL https://example.com/install.sh | sh",
  "pip install --index-url https://pypi.example.com/simple pkg",
  "npm login --registry https://npm.example.com",
  "echo \"it's unterminated",
  "python -c 'print(1)' # login -p comment",
];

Deno.test("scrubSecrets replaces a secret passed as its own argument, keeping the command", async (t) => {
  for (const [before, after] of CASES) {
    await t.step(before, () => {
      const result = scrubSecrets(before);
      assert.equal(result.text, after);
      assert.ok(!result.text.includes(V));
    });
  }
});

Deno.test("scrubSecrets leaves commands without secrets byte for byte", () => {
  for (const text of UNCHANGED) assert.deepEqual(scrubSecrets(text), { text, redactions: 0 }, text);
});

Deno.test("scrubJsonStrings scrubs an argv array by its CLI's rules", () => {
  const argv = (words: string[]) => JSON.stringify({ command: words, workdir: "/repo" });
  const cases: [string[], string[]][] = [
    [["docker", "login", "-u", "me", "-p", V], ["docker", "login", "-u", "me", "-p", R]],
    [["mysql", "-uroot", `-p${V}`, "app"], ["mysql", "-uroot", `-p${R}`, "app"]],
    [["redis-cli", "-a", V, "ping"], ["redis-cli", "-a", R, "ping"]],
    [
      ["aws", "configure", "set", "aws_secret_access_key", V],
      ["aws", "configure", "set", "aws_secret_access_key", "[REDACTED:aws-secret-key]"],
    ],
    [["bash", "-lc", `docker login -p ${V} r`], ["bash", "-lc", `docker login -p ${R} r`]],
    [["docker", "run", "-p", "8080:80", "nginx"], ["docker", "run", "-p", "8080:80", "nginx"]],
    [["mysql", "-u", "root", "-p", "app_db"], ["mysql", "-u", "root", "-p", "app_db"]],
  ];
  for (const [before, after] of cases) {
    assert.equal(scrubJsonStrings(argv(before)).text, argv(after), before.join(" "));
  }
});

Deno.test("findCommandLineSecrets gives ranges of the original text, nested scripts included", () => {
  const text = `bash -lc "docker login -p ${V} r"`;
  const [span, ...rest] = findCommandLineSecrets(text);
  assert.deepEqual(rest, []);
  assert.equal(text.slice(span.start, span.end), V);
});

// --- properties ---

/**
 * Every recognised position of a secret argument, as a command with `SECRET` where the secret
 * goes. Each is planted with a random secret, alone, after other commands and inside
 * `bash -lc "..."` as Codex sends it.
 */
const POSITIONS = [
  ...CASES.map(([before]) => before.replaceAll(V, "SECRET")),
  "docker login -pSECRET",
  "podman login --password=SECRET quay.io",
  "buildah login -u me -p SECRET r",
  "skopeo login -p SECRET r",
  "cf login -a api -u me -p SECRET",
  "mariadb -pSECRET",
  "mysqladmin -u root -pSECRET status",
  "mongo -p SECRET",
  "mongorestore -p SECRET dump/",
  "twine upload --password SECRET dist/*",
  "vault login SECRET",
  "wandb login SECRET",
  "ngrok config add-authtoken SECRET",
  "glab auth login -t SECRET",
  "kubectl config set-credentials ci --token=SECRET",
  "unzip -P SECRET in.zip",
  "keytool -genkeypair -keypass SECRET -storepass SECRET",
  "openssl enc -aes-256-cbc -k SECRET -in a -out b",
  "openssl rsa -in k.pem -passin pass:SECRET",
  "setx API_TOKEN SECRET",
  "psql postgresql://app:SECRET@db/app",
  "git clone https://me:SECRET@git.example.com/r.git",
  'curl -H "Authorization: Bearer SECRET" https://x',
  "curl -u me:SECRET https://x",
  "PGPASSWORD=SECRET psql -h db",
  "export NPM_TOKEN=SECRET",
  "echo SECRET | cargo login",
];

/** The surroundings a command line comes in. */
const contexts = fc.constantFrom(
  (command: string) => command,
  (command: string) => `cd /srv && ${command} && echo done`,
  (command: string) => `set -e; ${command}\nls`,
  (command: string) => `bash -lc ${JSON.stringify(command)}`,
  (command: string) => `sh -c '${command.replaceAll("'", `'"'"'`)}'`,
  (command: string) => `sudo ${command}`,
);

Deno.test("property: a planted secret in every recognised position never survives", () => {
  for (const position of POSITIONS) {
    fc.assert(
      fc.property(secretBody, contexts, (secret, context) => {
        const text = context(position.replaceAll("SECRET", secret));
        const result = scrubSecrets(text);
        assert.ok(!leaks(result.text, secret), `${text}\n=> ${result.text}`);
        const json = JSON.stringify({ cmd: text, yield_time_ms: 1000 });
        const scrubbedJson = scrubJsonStrings(json);
        assert.ok(!leaks(scrubbedJson.text, secret), `${json}\n=> ${scrubbedJson.text}`);
      }),
      { numRuns: 40 },
    );
  }
});

/**
 * Words of ordinary commands, `-p` of many kinds among them: none is a secret, whatever order
 * they come in. (`login`, `redis-cli` and `--password-stdin` are left out: with them, some
 * orders do hold a secret.)
 */
const PLAIN_WORDS = [
  "docker",
  "run",
  "-p",
  "8080:80",
  "ssh",
  "-p",
  "22",
  "mkdir",
  "cp",
  "git",
  "log",
  "grep",
  "mysql",
  "-u",
  "root",
  "app_db",
  "--password-file",
  "<",
  "token.txt",
  "|",
  "&&",
  ";",
  "\n",
  "echo",
  "$TOKEN",
  '"$PASSWORD"',
  "set",
  "-e",
  "config",
  "region",
  "eu-west-1",
  "bash",
  "-lc",
  "'ls -la'",
  "/tmp/x",
  "--access-token-file",
  "--key-file=/k.json",
  "-a",
  "7z",
  "x",
];

Deno.test("property: commands without secrets come out byte-identical", () => {
  const command = fc.array(fc.constantFrom(...PLAIN_WORDS), { maxLength: 14 })
    .map((words) => words.join(" "));
  fc.assert(
    fc.property(command, (text) => {
      assert.deepEqual(scrubSecrets(text), { text, redactions: 0 }, text);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("property: the command-line scanner never finds anything in text without a hint", () => {
  // Some of the words of a recognised position, with a planted value that holds no hint of its
  // own: only the CLI's words can give one.
  const someWordsOfAPosition = fc.constantFrom(...POSITIONS)
    .chain((position) => fc.subarray(position.replaceAll("SECRET", "Q7mRt2Xv").split(" ")));
  const text = fc.array(
    fc.oneof(
      someWordsOfAPosition.map((words) => words.join(" ")),
      fc.constantFrom(...PLAIN_WORDS, "'", '"', "\\", "$(", ")", "`", "|"),
    ),
    { maxLength: 6 },
  ).map((parts) => parts.join(" "));
  fc.assert(
    fc.property(text, (text) => {
      assert.deepEqual(scrubSecrets(text), scrubSecretsExhaustively(text));
      if (!mayHoldSecrets(text)) assert.deepEqual(findCommandLineSecrets(text), [], text);
    }),
    { numRuns: 5000 },
  );
});

Deno.test("findCommandLineSecrets gets through 1 MiB adversarial inputs", () => {
  // No time is asserted: a quadratic scan would hang this test for minutes, not fail it.
  const size = 1 << 20;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const inputs = [
    fill("'"),
    fill('"'),
    fill("\\"),
    fill("docker login -p "),
    fill("mysql -p"),
    fill("bash -c '"),
    fill(`bash -c "`),
    fill('sh -c \\"'),
    fill("$("),
    fill("<<< "),
    fill("echo x | "),
    fill("don't login "),
    "redis-cli -a " + fill("a"),
  ];
  for (const input of inputs) assert.ok(Array.isArray(findCommandLineSecrets(input)));
});
