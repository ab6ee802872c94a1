/**
 * A client certificate as users have it, turned into what @azure/identity's
 * ClientCertificateCredential takes: one PEM text with the private key and the certificate.
 *
 * azuread reads PKCS#12 bundles (`client_certificate_path` is a .pfx file, `client_certificate` its
 * base64), @azure/identity reads PEM files (AZURE_CLIENT_CERTIFICATE_PATH): both are accepted, by
 * content, in either setting. An encrypted key or bundle is opened here with the password, so that
 * a wrong password or an unreadable file is reported now, naming the setting, rather than as a
 * failed sign-in later.
 */

import * as crypto from "crypto";
import * as fs from "fs";
import forge from "node-forge";
import type { Named } from "./cloud";
import { ConfigurationError } from "./user-facing";

interface CertificateSettings {
  /** Base64 of a PKCS#12 bundle or of a PEM file. */
  base64?: Named;
  path?: Named;
  password?: Named;
}

/** PEM text: the private key (unencrypted, in memory only) followed by the certificate chain. */
export function loadClientCertificate(s: CertificateSettings): string {
  if (s.base64 && s.path) {
    throw new ConfigurationError(`${s.base64.name} and ${s.path.name} are both set: give the certificate once`);
  }
  const given = (s.base64 ?? s.path)!;
  const bytes = s.base64 ? decodeBase64(s.base64) : readFile(s.path!);
  const text = bytes.toString("utf8");
  return text.includes("-----BEGIN") ? fromPem(text, given, s.password) : fromPkcs12(bytes, given, s.password);
}

function decodeBase64(setting: Named): Buffer {
  const compact = setting.value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new ConfigurationError(`${setting.name} must be the base64 encoding of a PKCS#12 (.pfx) bundle or of a PEM file`);
  }
  return Buffer.from(compact, "base64");
}

function readFile(setting: Named): Buffer {
  try {
    return fs.readFileSync(setting.value);
  } catch (e) {
    throw new ConfigurationError(`${setting.name}: cannot read the certificate file ${setting.value} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

function fromPem(pem: string, given: Named, password: Named | undefined): string {
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const keyBlock = /-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/.exec(pem)?.[0];
  if (certificates.length === 0 || !keyBlock) {
    throw new ConfigurationError(
      `${given.name} must hold both the private key and the certificate (PEM), or be a PKCS#12 (.pfx) bundle; it lacks the ${certificates.length === 0 ? "certificate" : "private key"}`,
    );
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey({ key: keyBlock, format: "pem", passphrase: password?.value });
  } catch {
    throw new ConfigurationError(
      password
        ? `${password.name} does not decrypt the private key in ${given.name}`
        : `${given.name}: the private key is encrypted or unreadable: set the password (clientCertificatePassword, ARM_CLIENT_CERTIFICATE_PASSWORD or AZURE_CLIENT_CERTIFICATE_PASSWORD)`,
    );
  }
  return `${key.export({ type: "pkcs8", format: "pem" }).toString()}${certificates.join("\n")}\n`;
}

function fromPkcs12(der: Buffer, given: Named, password: Named | undefined): string {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString("binary")));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password?.value ?? "");
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message)) {
      throw new ConfigurationError(
        password
          ? `${password.name} does not open the PKCS#12 bundle in ${given.name}`
          : `${given.name}: the PKCS#12 bundle needs a password: set clientCertificatePassword (ARM_CLIENT_CERTIFICATE_PASSWORD)`,
      );
    }
    throw new ConfigurationError(
      `${given.name} is neither a PEM file with the private key and the certificate nor a PKCS#12 (.pfx) bundle this provider can read (${message}); ` +
        "bundles written with AES by OpenSSL 3 can be re-exported with `openssl pkcs12 -export -legacy`, or converted to PEM",
    );
  }
  const keys = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ].filter((bag) => bag.key);
  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).filter((bag) => bag.cert);
  if (keys.length === 0 || certificates.length === 0) {
    throw new ConfigurationError(
      `${given.name}: the PKCS#12 bundle must hold the private key and its certificate; it lacks the ${keys.length === 0 ? "private key" : "certificate"}`,
    );
  }
  const key = keys[0].key as forge.pki.rsa.PrivateKey;
  // The leaf is the certificate of this key; the rest of the chain follows it.
  const leafFirst = [...certificates].sort((a, b) => Number(sameKey(b.cert!, key)) - Number(sameKey(a.cert!, key)));
  if (!sameKey(leafFirst[0].cert!, key)) {
    throw new ConfigurationError(`${given.name}: the PKCS#12 bundle holds no certificate for its private key`);
  }
  return `${forge.pki.privateKeyToPem(key)}${leafFirst.map((bag) => forge.pki.certificateToPem(bag.cert!)).join("")}`;
}

function sameKey(cert: forge.pki.Certificate, key: forge.pki.rsa.PrivateKey): boolean {
  const pub = cert.publicKey as forge.pki.rsa.PublicKey;
  return Boolean(pub.n && key.n && pub.n.equals(key.n));
}
