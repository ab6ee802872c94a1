/**
 * An RSA signing key kept in the emulator home (created once, under the home's lock, so emulators
 * sharing a home sign alike), with what an issuer publishes of it: the JWK with its thumbprint as
 * `kid`. The token service and the GitHub Actions issuer each have their own.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { calculateJwkThumbprint, exportJWK, importPKCS8, type JWK, type KeyLike } from "jose";
import { withLock, writeAtomic } from "../core/files";

interface SigningKey {
  privateKey: KeyLike;
  publicKey: crypto.KeyObject;
  publicJwk: JWK & { kid: string };
}

export async function loadSigningKey(home: string, fileName: string): Promise<SigningKey> {
  const keyPath = path.join(home, fileName);
  fs.mkdirSync(home, { recursive: true });
  if (!fs.existsSync(keyPath)) {
    withLock(path.join(home, ".lock"), () => {
      if (fs.existsSync(keyPath)) return;
      const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
      writeAtomic(keyPath, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), 0o600);
    });
  }
  const pem = fs.readFileSync(keyPath, "utf8");
  const publicKey = crypto.createPublicKey(pem);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey: await importPKCS8(pem, "RS256"), publicKey, publicJwk: { ...jwk, kid, use: "sig", alg: "RS256" } };
}
