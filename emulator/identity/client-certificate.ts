/**
 * The client certificate of the seeded "certificate" client (seeded-identities.ts): what an administrator
 * makes with `New-SelfSignedCertificate` or `openssl req -x509`, uploads (the public part) to the
 * app registration, and gives the program (the private part). Generated once per emulator home, like
 * the CA, in the two forms sign-in settings take:
 *
 *   client-certificate.pem       private key (PKCS#8) + certificate: AZURE_CLIENT_CERTIFICATE_PATH
 *   client-certificate.pfx       PKCS#12 bundle, password-protected: ARM_CLIENT_CERTIFICATE_PATH
 *                                (its base64 is ARM_CLIENT_CERTIFICATE)
 *   client-certificate.password  the bundle's password: ARM_CLIENT_CERTIFICATE_PASSWORD
 *
 * The token endpoint checks client assertions against the certificate's public key, found by the
 * thumbprint in the assertion's header (x5t: SHA-1, x5t#S256: SHA-256, base64url of the DER).
 * Like the CA's, its validity is on the system clock (clients judge it by theirs).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import forge from "node-forge";
import { withLock, writeAtomic } from "../core/files";

export interface ClientCertificate {
  pemPath: string;
  pfxPath: string;
  pfxBase64: string;
  password: string;
  publicKey: crypto.KeyObject;
  /** base64url thumbprints, as in an assertion's x5t and x5t#S256 headers. */
  x5t: string;
  x5tS256: string;
  notBefore: Date;
  notAfter: Date;
}

const VALIDITY_DAYS = 730;
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

export function clientCertificateFiles(home: string): { pemPath: string; pfxPath: string; passwordPath: string } {
  return {
    pemPath: path.join(home, "client-certificate.pem"),
    pfxPath: path.join(home, "client-certificate.pfx"),
    passwordPath: path.join(home, "client-certificate.password"),
  };
}

export function loadClientCertificate(home: string): ClientCertificate {
  const files = clientCertificateFiles(home);
  fs.mkdirSync(home, { recursive: true });
  if (!usable(files)) {
    withLock(path.join(home, ".lock"), () => {
      if (usable(files)) return;
      const generated = generate();
      writeAtomic(files.passwordPath, generated.password, 0o600);
      writeAtomic(files.pemPath, generated.pem, 0o600);
      fs.writeFileSync(`${files.pfxPath}.tmp`, generated.pfx, { mode: 0o600 });
      fs.renameSync(`${files.pfxPath}.tmp`, files.pfxPath);
    });
  }
  const pem = fs.readFileSync(files.pemPath, "utf8");
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0];
  const x509 = new crypto.X509Certificate(certPem);
  return {
    pemPath: files.pemPath,
    pfxPath: files.pfxPath,
    pfxBase64: fs.readFileSync(files.pfxPath).toString("base64"),
    password: fs.readFileSync(files.passwordPath, "utf8"),
    publicKey: x509.publicKey,
    x5t: crypto.createHash("sha1").update(x509.raw).digest("base64url"),
    x5tS256: crypto.createHash("sha256").update(x509.raw).digest("base64url"),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  };
}

function usable(files: ReturnType<typeof clientCertificateFiles>): boolean {
  if (![files.pemPath, files.pfxPath, files.passwordPath].every((f) => fs.existsSync(f))) return false;
  try {
    const pem = fs.readFileSync(files.pemPath, "utf8");
    const cert = new crypto.X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0]);
    return new Date(cert.validTo).getTime() - Date.now() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

function generate(): { pem: string; pfx: Buffer; password: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString("hex");
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + VALIDITY_DAYS * 24 * 3600 * 1000);
  const subject = [{ name: "commonName", value: "Provisioning Pipeline (certificate)" }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, critical: true },
    { name: "extKeyUsage", clientAuth: true },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  const password = crypto.randomBytes(12).toString("base64url");
  // 3DES, as Windows and `openssl pkcs12 -legacy` write bundles: readable by every PKCS#12 reader.
  const p12 = forge.pkcs12.toPkcs12Asn1(forgeKey, [cert], password, { algorithm: "3des", friendlyName: "provisioning-pipeline" });
  return {
    pem: `${privateKey.export({ type: "pkcs8", format: "pem" }).toString()}${forge.pki.certificateToPem(cert)}`,
    pfx: Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary"),
    password,
  };
}
