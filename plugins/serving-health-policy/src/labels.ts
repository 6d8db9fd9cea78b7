/*
 * Label key and value syntax, exactly as the API server checks it (k8s.io/apimachinery
 * pkg/util/validation: IsQualifiedName, IsValidLabelValue, IsDNS1123Subdomain), including the
 * wording of its messages, so what the form field and the CLI say is what `kubectl apply` would say.
 */

const QNAME_CHAR_FMT = '[A-Za-z0-9]';
const QNAME_EXT_CHAR_FMT = '[-A-Za-z0-9_.]';
const QUALIFIED_NAME_FMT = `(${QNAME_CHAR_FMT}${QNAME_EXT_CHAR_FMT}*)?${QNAME_CHAR_FMT}`;
const QUALIFIED_NAME_ERR_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX_LENGTH = 63;

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_ERR_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX_LENGTH = 63;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

const qualifiedNameRegexp = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const labelValueRegexp = new RegExp(`^${LABEL_VALUE_FMT}$`);
const dns1123SubdomainRegexp = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

/** Go's len(string): UTF-8 bytes, not UTF-16 code units. */
export function utf8Length(value: string): number {
  let bytes = 0;
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) bytes += 1;
    else if (cp < 0x800) bytes += 2;
    else if (cp < 0x10000) bytes += 3;
    else bytes += 4;
  }
  return bytes;
}

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) {
    return `${msg} (regex used for validation is '${fmt}')`;
  }
  // Same concatenation as apimachinery's RegexError, double space included.
  let out = `${msg} (e.g. `;
  examples.forEach((example, i) => {
    if (i > 0) out += ' or ';
    out += `'${example}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

const maxLenError = (length: number) =>
  `must be no more than ${length} characters`;
const EMPTY_ERROR = 'must be non-empty';

/** apimachinery IsDNS1123Subdomain: the messages, empty when valid. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  }
  if (!dns1123SubdomainRegexp.test(value)) {
    errs.push(
      regexError(
        DNS1123_SUBDOMAIN_ERR_MSG,
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  }
  return errs;
}

/**
 * apimachinery IsQualifiedName (label keys, annotation keys): the messages, empty when valid.
 *
 * @public
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      errs.push(`prefix part ${EMPTY_ERROR}`);
    } else {
      errs.push(...isDNS1123Subdomain(prefix).map(m => `prefix part ${m}`));
    }
  } else {
    return [
      `a qualified name ${regexError(
        QUALIFIED_NAME_ERR_MSG,
        QUALIFIED_NAME_FMT,
        'MyName',
        'my.name',
        '123-abc',
      )} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) {
    errs.push(`name part ${EMPTY_ERROR}`);
  } else if (utf8Length(name) > QUALIFIED_NAME_MAX_LENGTH) {
    errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  }
  if (!qualifiedNameRegexp.test(name)) {
    errs.push(
      `name part ${regexError(
        QUALIFIED_NAME_ERR_MSG,
        QUALIFIED_NAME_FMT,
        'MyName',
        'my.name',
        '123-abc',
      )}`,
    );
  }
  return errs;
}

/**
 * apimachinery IsValidLabelValue: the messages, empty when valid.
 *
 * @public
 */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > LABEL_VALUE_MAX_LENGTH) {
    errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  }
  if (!labelValueRegexp.test(value)) {
    errs.push(
      regexError(
        LABEL_VALUE_ERR_MSG,
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errs;
}

/** Splits `prefix/name`; keys without a slash have no prefix. */
export function splitLabelKey(key: string): { prefix?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0
    ? { name: key }
    : { prefix: key.slice(0, i), name: key.slice(i + 1) };
}

/**
 * Kubernetes reserves the `kubernetes.io/` and `k8s.io/` prefixes (and their subdomains) for its own
 * components; `app.kubernetes.io/` is the documented home of the recommended labels.
 */
export function reservedPrefixNote(key: string): string | undefined {
  const { prefix } = splitLabelKey(key);
  if (!prefix) return undefined;
  const reserved = ['kubernetes.io', 'k8s.io'].find(
    r => prefix === r || prefix.endsWith(`.${r}`),
  );
  if (!reserved) return undefined;
  if (prefix === 'app.kubernetes.io') {
    return `\`${prefix}/\` is the prefix of Kubernetes' recommended labels: use it only with their documented meaning`;
  }
  return `the \`${reserved}/\` prefix is reserved for Kubernetes core components`;
}

/** What the API server answers for an invalid label, in its field-error wording. */
export function apiServerLabelMessage(
  badValue: string,
  detail: string,
): string {
  return `metadata.labels: Invalid value: ${JSON.stringify(
    badValue,
  )}: ${detail}`;
}
