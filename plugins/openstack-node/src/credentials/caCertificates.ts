import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The CA certificates a site's clients trust instead of Node's store: a PEM file (a bundle), a
 * directory of hashed certificates as OpenSSL's capath and EGI sites' IGTF trust anchors have
 * them (`/etc/grid-security/certificates`: `<hash>.0` links beside `<name>.pem`, with signing
 * policies, namespaces and CRLs that are not CA certificates), or both. A directory named as the
 * file is read as a directory, as python-requests (so the `openstack` CLI) does with `OS_CACERT`.
 */
export interface CaLocations {
  caFile?: string;
  caPath?: string;
}

export class CaCertificatesError extends Error {
  constructor(
    /** Which setting the problem is with, for the caller to name it (`credentials.caPath`). */
    readonly key: 'caFile' | 'caPath',
    message: string,
  ) {
    super(message);
  }
}

// `openssl rehash` names `<8 hex>.<n>` (certificates; CRLs are `.r<n>`), CA files go by extension.
const CERTIFICATE_FILE = /^(?:[0-9a-f]{8}\.\d+|.+\.(?:pem|crt|cer))$/i;
const PEM_BLOCK =
  /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g;

/** The certificates in one file's content: PEM blocks, or the file as one DER certificate. */
function certificatesIn(content: Buffer): X509Certificate[] {
  const blocks = content.toString('latin1').match(PEM_BLOCK);
  const parse = (input: string | Buffer) => {
    try {
      return [new X509Certificate(input)];
    } catch {
      return [];
    }
  };
  if (blocks) return blocks.flatMap(parse);
  // DER (a `.cer` from a CA's web page): one certificate, or not a certificate at all.
  return content.length > 0 && content[0] === 0x30 ? parse(content) : [];
}

function statOf(file: string, key: 'caFile' | 'caPath'): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (error) {
    throw new CaCertificatesError(
      key,
      `cannot read ${file}: ${(error as Error).message}`,
    );
  }
}

function fromFile(file: string): X509Certificate[] {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch (error) {
    throw new CaCertificatesError(
      'caFile',
      `cannot read ${file}: ${(error as Error).message}`,
    );
  }
  const found = certificatesIn(content);
  if (found.length === 0) {
    throw new CaCertificatesError(
      'caFile',
      `${file} holds no certificate (PEM "BEGIN CERTIFICATE" blocks or one DER certificate)`,
    );
  }
  return found;
}

function fromDirectory(
  dir: string,
  key: 'caFile' | 'caPath',
): X509Certificate[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (error) {
    throw new CaCertificatesError(
      key,
      `cannot read ${dir}: ${(error as Error).message}`,
    );
  }
  const candidates = names.filter(n => CERTIFICATE_FILE.test(n));
  const found = candidates.flatMap(name => {
    try {
      // readFileSync follows the `<hash>.0` links; a dangling one is skipped like any non-CA.
      return certificatesIn(fs.readFileSync(path.join(dir, name)));
    } catch {
      return [];
    }
  });
  if (found.length === 0) {
    throw new CaCertificatesError(
      key,
      `no CA certificate in the directory ${dir} (looked at ${candidates.length} of its ${names.length} files: those named <hash>.N as openssl rehash names them, or *.pem, *.crt, *.cer)`,
    );
  }
  return found;
}

/**
 * The CA certificates (PEM, each once) of a CA file and/or directory, for the https `ca`
 * option; undefined when neither is given. Read once per client: a directory of a hundred IGTF
 * CAs is read in milliseconds, but not on every request. Throws {@link CaCertificatesError}
 * when a location cannot be read or holds no certificate.
 */
export function readCaCertificates(
  locations: CaLocations,
): string[] | undefined {
  const found: X509Certificate[] = [];
  if (locations.caFile) {
    const isDir = statOf(locations.caFile, 'caFile').isDirectory();
    found.push(
      ...(isDir
        ? fromDirectory(locations.caFile, 'caFile')
        : fromFile(locations.caFile)),
    );
  }
  if (locations.caPath) {
    if (!statOf(locations.caPath, 'caPath').isDirectory()) {
      throw new CaCertificatesError(
        'caPath',
        `${locations.caPath} is not a directory (a CA file is given as caFile)`,
      );
    }
    found.push(...fromDirectory(locations.caPath, 'caPath'));
  }
  if (found.length === 0) return undefined;
  // IGTF directories hold each CA twice (`<name>.pem` and its `<hash>.0` link).
  const unique = new Map(found.map(c => [c.fingerprint256, c.toString()]));
  return [...unique.values()];
}
