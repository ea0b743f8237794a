/**
 * A public key: PEM text (X.509 certificate, SPKI `PUBLIC KEY`, PKCS#1 `RSA PUBLIC KEY`), DER
 * bytes of any of those, an RSA JWK (object or JSON text), or an RSA-OAEP SHA-256 `CryptoKey`.
 */
export type PublicKeyInput = string | Uint8Array | ArrayBuffer | JsonWebKey | CryptoKey;

/**
 * A private key: PEM text (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`), DER bytes of
 * either, an RSA JWK with `d` (object or JSON text), a `CryptoKey` of the use's algorithm, or a
 * PKCS#12 file as Mastercard's portal issues it (read by the Node build).
 */
export type PrivateKeyInput = string | Uint8Array | ArrayBuffer | JsonWebKey | CryptoKey | Pkcs12Input;

/**
 * A PKCS#12 file (`.p12`, modern or legacy encryption) and its password. The build for Node
 * (`nodejs`, and bundlers) reads it; the builds for browsers and workers refuse it with
 * `PointsKeyError`: convert it once with `npx points-activity keys`.
 */
export interface Pkcs12Input {
  /** The file's bytes. */
  pkcs12: Uint8Array | ArrayBuffer;
  /** Its password; never echoed in an error. */
  password: string;
  /** The friendly name of the key to take, when the file holds several. */
  alias?: string;
}

/** Which key to encrypt to. Give `certificate` or `publicKey`, not both. */
export interface EncryptionKeyOptions {
  /** Mastercard's encryption certificate, PEM or DER. */
  certificate?: string | Uint8Array | ArrayBuffer;
  /** Mastercard's encryption public key. */
  publicKey?: PublicKeyInput;
  /** Overrides the computed `kid` (lowercase hex SHA-256 of the SPKI DER). */
  keyFingerprint?: string;
}

/** Which key to decrypt with. */
export interface DecryptionKeyOptions {
  /**
   * The client's private key, or 1 to 8 of them during a rotation (the JWE's `kid` picks the
   * key with that fingerprint; else each is tried in order). A `CryptoKey` from
   * {@link importDecryptionKey} skips the import on every call.
   */
  decryptionKey: PrivateKeyInput | PrivateKeyInput[];
}

/** A PKCS#12 file's private key as PEM (`pkcs12ToPem`, the Node build, for the key tool). */
export interface Pkcs12Pem {
  /** PKCS#8 `PRIVATE KEY` PEM: write it where the secret belongs (`wrangler secret put`) and drop it. */
  pem: string;
  /** Lowercase hex SHA-256 of the public key's SPKI: the `kid` Mastercard sends with responses encrypted to it. */
  fingerprint: string;
  /** The RSA modulus size. */
  bits: number;
}
