/** Lines as clusters print them, each with the secrets it carries. `expected` is the redacted line. */
export interface RedactionCase {
  input: string;
  secrets: string[];
  expected: string;
}

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2Vu';
const AWS_ID = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';

export const REDACTION_CORPUS: RedactionCase[] = [
  // Authorization headers and bearer tokens
  { input: `Authorization: Bearer ${JWT}`, secrets: [JWT], expected: "Authorization: [REDACTED] [REDACTED]" },
  { input: `authorization: bearer abcdef0123456789`, secrets: ['abcdef0123456789'], expected: "authorization: [REDACTED] [REDACTED]" },
  { input: `curl -H "Authorization: Basic dXNlcjpwYXNzd29yZA==" https://x`, secrets: ['dXNlcjpwYXNzd29yZA=='], expected: "curl -H \"Authorization: [REDACTED] [REDACTED]\" https://x" },
  { input: `{"headers":{"Authorization":"Bearer s3cr3tT0ken"}}`, secrets: ['s3cr3tT0ken'], expected: "{\"headers\":{\"Authorization\":\"[REDACTED]\"}}" },
  { input: `token ${JWT} accepted`, secrets: [JWT], expected: "token [REDACTED JWT] accepted" },
  { input: `jwt=${JWT}`, secrets: [JWT], expected: "jwt=[REDACTED JWT]" },
  // JSON and escaped JSON
  { input: `{"password":"hunter2","user":"admin"}`, secrets: ['hunter2'], expected: "{\"password\":\"[REDACTED]\",\"user\":\"admin\"}" },
  { input: `{"password": "correct horse", "user": "admin"}`, secrets: ['correct'], expected: "{\"password\": \"[REDACTED]\", \"user\": \"admin\"}" },
  { input: `{\\"password\\":\\"esc4ped\\",\\"user\\":\\"a\\"}`, secrets: ['esc4ped'], expected: "{\\\"password\\\":\\\"[REDACTED]\\\",\\\"user\\\":\\\"a\\\"}" },
  { input: `{"db_password":"pg-pass-1"}`, secrets: ['pg-pass-1'], expected: "{\"db_password\":\"[REDACTED]\"}" },
  { input: `{"clientSecret":"cs-9876543210"}`, secrets: ['cs-9876543210'], expected: "{\"clientSecret\":\"[REDACTED]\"}" },
  { input: `{"client_secret": "oauth-secret-value"}`, secrets: ['oauth-secret-value'], expected: "{\"client_secret\": \"[REDACTED]\"}" },
  { input: `{"api_key":"k-1234567890"}`, secrets: ['k-1234567890'], expected: "{\"api_key\":\"[REDACTED]\"}" },
  { input: `{"apiKey":"k-abcdefghij"}`, secrets: ['k-abcdefghij'], expected: "{\"apiKey\":\"[REDACTED]\"}" },
  { input: `{"accessKey":"ak-0011223344"}`, secrets: ['ak-0011223344'], expected: "{\"accessKey\":\"[REDACTED]\"}" },
  { input: `{"credentials":"cred-blob-xyz"}`, secrets: ['cred-blob-xyz'], expected: "{\"credentials\":\"[REDACTED]\"}" },
  { input: `{"token":"t0k3n-v4lue","expires":3600}`, secrets: ['t0k3n-v4lue'], expected: "{\"token\":\"[REDACTED]\",\"expires\":3600}" },
  { input: `{"refresh_token":"rt-abcdef"}`, secrets: ['rt-abcdef'], expected: "{\"refresh_token\":\"[REDACTED]\"}" },
  { input: `{"id_token":"${JWT}"}`, secrets: [JWT], expected: "{\"id_token\":\"[REDACTED]\"}" },
  { input: `{"passphrase":"open sesame"}`, secrets: ['open'], expected: "{\"passphrase\":\"[REDACTED]\"}" },
  { input: `{"secret":{"name":"x"}}`, secrets: [], expected: "{\"secret\":{\"name\":\"x\"}}" },
  { input: `msg="login failed" {\\"token\\": \\"esc-tok-1\\"}`, secrets: ['esc-tok-1'], expected: "msg=\"login failed\" {\\\"token\\\": \\\"[REDACTED]\\\"}" },
  // key=value and YAML
  { input: `password=hunter2 user=admin`, secrets: ['hunter2'], expected: "password=[REDACTED] user=admin" },
  { input: `PASSWORD=Sup3rS3cret!`, secrets: ['Sup3rS3cret!'], expected: "PASSWORD=[REDACTED]" },
  { input: `export AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`, secrets: [AWS_SECRET], expected: "export AWS_SECRET_ACCESS_KEY=[REDACTED]" },
  { input: `aws_secret_access_key = ${AWS_SECRET}`, secrets: [AWS_SECRET], expected: "aws_secret_access_key = [REDACTED]" },
  { input: `  password: yaml-pass-42`, secrets: ['yaml-pass-42'], expected: "  password: [REDACTED]" },
  { input: `  secretKey: "quoted-yaml-secret"`, secrets: ['quoted-yaml-secret'], expected: "  secretKey: \"[REDACTED]\"" },
  { input: `GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345`, secrets: ['ghp_0123456789abcdefghijABCDEFGHIJ012345'], expected: "GITHUB_TOKEN=[REDACTED]" },
  { input: `level=info msg="using api-key=live-key-77"`, secrets: ['live-key-77'], expected: "level=info msg=\"using api-key=[REDACTED]\"" },
  { input: `private_key_id: 1234567890abcdef1234567890abcdef12345678`, secrets: ['1234567890abcdef1234567890abcdef12345678'], expected: "private_key_id: [REDACTED]" },
  // URLs with credentials
  { input: `connecting to postgres://admin:hunter2@db:5432/app`, secrets: ['hunter2', 'admin:'], expected: "connecting to postgres://[REDACTED]@db:5432/app" },
  { input: `redis://:r3d1s-pass@cache:6379/0`, secrets: ['r3d1s-pass'], expected: "redis://[REDACTED]@cache:6379/0" },
  { input: `mongodb+srv://svc:p%40ss@cluster0.example.net/db`, secrets: ['p%40ss'], expected: "mongodb+srv://[REDACTED]@cluster0.example.net/db" },
  { input: `https://user:p@ss@word@registry.example.com/v2/`, secrets: ['p@ss@word', 'ss@word'], expected: "https://[REDACTED]@registry.example.com/v2/" },
  { input: `https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/org/repo.git`, secrets: ['ghp_0123456789abcdefghijABCDEFGHIJ012345'], expected: "https://[REDACTED]@github.com/org/repo.git" },
  { input: `git clone https://oauth2:glpat-abcdefghij0123456789@gitlab.example.com/g/r.git`, secrets: ['glpat-abcdefghij0123456789'], expected: "git clone https://[REDACTED]@gitlab.example.com/g/r.git" },
  { input: `amqp://guest:guest-pass@rabbit:5672/`, secrets: ['guest-pass'], expected: "amqp://[REDACTED]@rabbit:5672/" },
  { input: `s3 endpoint https://bucket.s3.amazonaws.com/model.bin?X-Amz-Credential=${AWS_ID}%2F20240101`, secrets: [AWS_ID], expected: "s3 endpoint https://bucket.s3.amazonaws.com/model.bin?X-Amz-Credential=[REDACTED]" },
  // Cloud keys
  { input: `aws_access_key_id=${AWS_ID}`, secrets: [AWS_ID], expected: "aws_access_key_id=[REDACTED]" },
  { input: `using credentials ${AWS_ID} for s3`, secrets: [AWS_ID], expected: "using credentials [REDACTED AWS KEY ID] for s3" },
  { input: `temporary ASIAY34FZKBOKMUTVV7A session`, secrets: ['ASIAY34FZKBOKMUTVV7A'], expected: "temporary [REDACTED AWS KEY ID] session" },
  { input: `https://acct.blob.core.windows.net/models/m.bin?sv=2022-11-02&ss=b&srt=o&sp=r&se=2025-01-01&sig=AbCdEf%2BgHiJ%3D`, secrets: ['AbCdEf%2BgHiJ%3D'], expected: "https://acct.blob.core.windows.net/models/m.bin?sv=2022-11-02&ss=b&srt=o&sp=r&se=2025-01-01&sig=[REDACTED]" },
  { input: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=bXlhY2NvdW50a2V5;EndpointSuffix=core.windows.net`, secrets: ['bXlhY2NvdW50a2V5'], expected: "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[REDACTED];EndpointSuffix=core.windows.net" },
  { input: `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=c2hhcmVka2V5`, secrets: ['c2hhcmVka2V5'], expected: "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=[REDACTED];SharedAccessKey=[REDACTED]" },
  { input: `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${PEM_BODY}\\n-----END PRIVATE KEY-----\\n", "client_email": "sa@p.iam.gserviceaccount.com"}`, secrets: [PEM_BODY], expected: "{\"type\": \"service_account\", \"private_key\": \"[REDACTED]\", \"client_email\": \"sa@p.iam.gserviceaccount.com\"}" },
  { input: `google api key AIzaSyA-1234567890abcdefghijklmnopqrstu`, secrets: ['AIzaSyA-1234567890abcdefghijklmnopqrstu'], expected: "google api key [REDACTED TOKEN]" },
  // PEM blocks
  { input: `-----BEGIN RSA PRIVATE KEY-----${PEM_BODY}-----END RSA PRIVATE KEY-----`, secrets: [PEM_BODY], expected: "[REDACTED PRIVATE KEY]" },
  { input: `key: -----BEGIN EC PRIVATE KEY----- ${PEM_BODY}`, secrets: [PEM_BODY], expected: "key: [REDACTED PRIVATE KEY]" },
  { input: `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\n${PEM_BODY.toLowerCase()}\n-----END OPENSSH PRIVATE KEY-----`, secrets: [PEM_BODY, PEM_BODY.toLowerCase()], expected: "[REDACTED PRIVATE KEY]" },
  { input: `tls.key: -----BEGIN PRIVATE KEY-----\\n${PEM_BODY}\\n-----END PRIVATE KEY-----`, secrets: [PEM_BODY], expected: "tls.key: [REDACTED PRIVATE KEY]" },
  // Vendor tokens
  { input: `github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz in use`, secrets: ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'], expected: "[REDACTED TOKEN] in use" },
  { input: `slack webhook token xoxb-123456789012-abcdefghijklmnop`, secrets: ['xoxb-123456789012-abcdefghijklmnop'], expected: "slack webhook token [REDACTED TOKEN]" },
  { input: `stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc`, secrets: ['sk_live_4eC39HqLyjWDarjtT1zdp7dc'], expected: "stripe [REDACTED TOKEN]" },
  { input: `OPENAI sk-proj-abcdefghijklmnopqrstuvwxyz0123`, secrets: ['sk-proj-abcdefghijklmnopqrstuvwxyz0123'], expected: "OPENAI [REDACTED TOKEN]" },
  { input: `HF_HUB hf_abcdefghijklmnopqrstuvwxyz01234567 loaded`, secrets: ['hf_abcdefghijklmnopqrstuvwxyz01234567'], expected: "HF_HUB [REDACTED TOKEN] loaded" },
  { input: `//registry.npmjs.example/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789`, secrets: ['npm_abcdefghijklmnopqrstuvwxyz0123456789'], expected: "//registry.npmjs.example/:_authToken=[REDACTED]" },
  { input: `sendgrid SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789`, secrets: ['SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'], expected: "sendgrid [REDACTED TOKEN]" },
  { input: `gitlab glpat-xxxxxxxxxxxxxxxxxxxx1 pushed`, secrets: ['glpat-xxxxxxxxxxxxxxxxxxxx1'], expected: "gitlab [REDACTED TOKEN] pushed" },
  { input: `ghs_abcdefghijklmnopqrstuvwxyz0123456789 installation token`, secrets: ['ghs_abcdefghijklmnopqrstuvwxyz0123456789'], expected: "[REDACTED TOKEN] installation token" },
  { input: `GET /callback?code=ok&access_token=qwertyuiop123 HTTP/1.1`, secrets: ['qwertyuiop123'], expected: "GET /callback?code=ok&access_token=[REDACTED] HTTP/1.1" },
  { input: `X-Api-Key: 9f8e7d6c5b4a`, secrets: ['9f8e7d6c5b4a'], expected: "X-Api-Key: [REDACTED]" },
  { input: `{"sessionToken": "FwoGZXIvYXdzEJr//////////wEaDHh4eHh4"}`, secrets: ['FwoGZXIvYXdzEJr'], expected: '{"sessionToken": "[REDACTED]"}' },
  { input: `SECRET_KEY_BASE=abc123def456ghi789`, secrets: ['abc123def456ghi789'], expected: 'SECRET_KEY_BASE=[REDACTED]' },
  // Lines with no secret stay as they are
  { input: `2026-11-26T10:00:00Z ERROR Reconciler error {"InferenceService": "models/fraud"}`, secrets: [], expected: "2026-11-26T10:00:00Z ERROR Reconciler error {\"InferenceService\": \"models/fraud\"}" },
  { input: `failed calling webhook "inferenceservice.kserve-webhook-server.defaulter": no endpoints available for service "kserve-webhook-server-service"`, secrets: [], expected: "failed calling webhook \"inferenceservice.kserve-webhook-server.defaulter\": no endpoints available for service \"kserve-webhook-server-service\"" },
  { input: `Back-off pulling image "gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1"`, secrets: [], expected: "Back-off pulling image \"gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1\"" },
  { input: `validation error: label cost-center is required. rule check-cost-center failed at path /metadata/labels/cost-center/`, secrets: [], expected: "validation error: label cost-center is required. rule check-cost-center failed at path /metadata/labels/cost-center/" },
  { input: `token refresh scheduled in 300s`, secrets: [], expected: "token refresh scheduled in 300s" },
  { input: `https://kserve-webhook-server-service.kserve.svc:443/mutate?timeout=10s`, secrets: [], expected: "https://kserve-webhook-server-service.kserve.svc:443/mutate?timeout=10s" },
];
