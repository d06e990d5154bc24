/**
 * The minister's own signing key, in this browser only: an ECDSA P-256 key pair made by
 * WebCrypto with the private key not extractable (script can use it to sign, never read
 * it), kept in IndexedDB under the minister's username. The server only ever sees the
 * public key and the signatures.
 */

const DATABASE = "accord-signing-keys";
const STORE = "keys";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB is not available in this browser"));
  });
}

function inStore<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = act(tx.objectStore(STORE));
        tx.oncomplete = () => (db.close(), resolve(request.result as T));
        tx.onerror = () => (db.close(), reject(tx.error ?? new Error("IndexedDB refused the key")));
      }),
  );
}

/** The key pair this browser holds for `username`, or null. */
export async function storedKeyPair(username: string): Promise<CryptoKeyPair | null> {
  return (await inStore<CryptoKeyPair | undefined>("readonly", (s) => s.get(username))) ?? null;
}

/** Makes a new key pair for `username` (private key not extractable) and keeps it in this browser, replacing any other. */
export async function createKeyPair(username: string): Promise<CryptoKeyPair> {
  if (!crypto.subtle) throw new Error("this page is not in a secure context (HTTPS or localhost), so the browser offers no signing keys");
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as CryptoKeyPair;
  await inStore("readwrite", (s) => s.put(pair, username));
  return pair;
}

/** The public key as the JWK the server registers. */
export async function publicJwk(pair: CryptoKeyPair): Promise<{ kty: string; crv: string; x: string; y: string }> {
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! };
}

/** SHA-256 (hex) of the public key's SubjectPublicKeyInfo: the fingerprint the secretariat compares. */
export async function fingerprintOf(pair: CryptoKeyPair): Promise<string> {
  const spki = await crypto.subtle.exportKey("spki", pair.publicKey);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", spki));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Base64 of the private key's ECDSA/SHA-256 signature (r‖s) of the UTF-8 bytes of `text`. */
export async function signText(pair: CryptoKeyPair, text: string): Promise<string> {
  const signature = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, new TextEncoder().encode(text)));
  let binary = "";
  for (const b of signature) binary += String.fromCharCode(b);
  return btoa(binary);
}
