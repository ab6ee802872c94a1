/**
 * The emulator's private certificate authority and its HTTPS server certificate.
 *
 * Generated once per home directory and reused, so that NODE_EXTRA_CA_CERTS can point at a file
 * that exists before any Node process starts (Node reads that variable only at start-up). Keys
 * come from node:crypto (fast, native RSA); certificates are built with node-forge.
 *
 * The server certificate names the loopback address and, besides, the sign-in and Graph hosts of
 * Microsoft's clouds (clouds.ts): a client that resolves those names to the emulator (a test's
 * connection redirect, never DNS) reaches it under the cloud's own name. Only processes that
 * trust this CA (NODE_EXTRA_CA_CERTS) accept the certificate at all.
 *
 * Validity dates are on the system clock, not the emulator's (core/clock.ts): TLS clients check
 * them against theirs.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import forge from "node-forge";
import { CLOUD_HOST_NAMES } from "./clouds";
import { withLock, writeAtomic } from "../core/files";

interface CaFiles {
  caCertPath: string;
  caKeyPath: string;
  serverCertPath: string;
  serverKeyPath: string;
}

interface ServerTlsMaterial {
  key: string;
  cert: string;
  caCertPath: string;
}

const CA_VALIDITY_YEARS = 10;
const SERVER_VALIDITY_DAYS = 825;
/** Re-issue the server certificate when it has less than this left. */
const SERVER_RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const SERVER_DNS_NAMES = ["localhost", ...CLOUD_HOST_NAMES];

function caFilesIn(home: string): CaFiles {
  return {
    caCertPath: path.join(home, "ca.pem"),
    caKeyPath: path.join(home, "ca-key.pem"),
    serverCertPath: path.join(home, "server.pem"),
    serverKeyPath: path.join(home, "server-key.pem"),
  };
}

/**
 * Make sure `home` holds a CA and a server certificate signed by it. Synchronous and idempotent;
 * safe when several processes start at once (a lock directory serializes generation).
 */
export function ensureCaFiles(home: string): CaFiles {
  const files = caFilesIn(home);
  fs.mkdirSync(home, { recursive: true });
  if (isComplete(files)) return files;
  withLock(path.join(home, ".lock"), () => {
    if (!fs.existsSync(files.caCertPath) || !fs.existsSync(files.caKeyPath)) {
      const ca = generateCa();
      writeAtomic(files.caKeyPath, ca.keyPem, 0o600);
      writeAtomic(files.caCertPath, ca.certPem, 0o644);
    }
    if (!serverCertIsUsable(files)) {
      const server = generateServerCert(fs.readFileSync(files.caCertPath, "utf8"), fs.readFileSync(files.caKeyPath, "utf8"));
      writeAtomic(files.serverKeyPath, server.keyPem, 0o600);
      writeAtomic(files.serverCertPath, server.certPem, 0o644);
    }
  });
  return files;
}

export function loadServerTls(home: string): ServerTlsMaterial {
  const files = ensureCaFiles(home);
  return {
    key: fs.readFileSync(files.serverKeyPath, "utf8"),
    cert: fs.readFileSync(files.serverCertPath, "utf8"),
    caCertPath: files.caCertPath,
  };
}

function isComplete(files: CaFiles): boolean {
  return fs.existsSync(files.caCertPath) && fs.existsSync(files.caKeyPath) && serverCertIsUsable(files);
}

function serverCertIsUsable(files: CaFiles): boolean {
  if (!fs.existsSync(files.serverCertPath) || !fs.existsSync(files.serverKeyPath)) return false;
  if (!fs.existsSync(files.caCertPath)) return false;
  try {
    const ca = forge.pki.certificateFromPem(fs.readFileSync(files.caCertPath, "utf8"));
    const server = forge.pki.certificateFromPem(fs.readFileSync(files.serverCertPath, "utf8"));
    if (server.validity.notAfter.getTime() - Date.now() < SERVER_RENEW_BEFORE_MS) return false;
    // Certificates of earlier versions lack names added since.
    const names = new crypto.X509Certificate(fs.readFileSync(files.serverCertPath, "utf8")).subjectAltName ?? "";
    if (!SERVER_DNS_NAMES.every((n) => names.includes(`DNS:${n}`))) return false;
    return ca.verify(server);
  } catch {
    return false;
  }
}

function newRsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    // node-forge reads PKCS#1 ("RSA PRIVATE KEY") and SPKI public keys.
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function randomSerial(): string {
  // Positive 16-byte serial (leading nibble < 8 keeps the DER integer positive).
  const bytes = crypto.randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString("hex");
}

function generateCa(): { certPem: string; keyPem: string } {
  const keys = newRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + CA_VALIDITY_YEARS * 365 * 24 * 3600 * 1000);
  const subject = [
    { name: "commonName", value: "pulumi-entra-sync emulator local CA" },
    { name: "organizationName", value: "pulumi-entra-sync (local, not trusted elsewhere)" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

function generateServerCert(caCertPem: string, caKeyPem: string): { certPem: string; keyPem: string } {
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const keys = newRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + SERVER_VALIDITY_DAYS * 24 * 3600 * 1000);
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 7, ip: "127.0.0.1" }, // iPAddress
        ...SERVER_DNS_NAMES.map((value) => ({ type: 2, value })), // dNSName
      ],
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}
