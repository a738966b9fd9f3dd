/**
 * Sealing a citizen card's contact payload to the health authority: crypto_box_seal (an ephemeral
 * X25519 key, XSalsa20-Poly1305; 48 bytes of overhead) of encodeContact(contact). Anyone can seal
 * to the authority's public key; only the authority can open. The sealed bytes are not
 * authenticated to any sender, so an opened payload is decoded as strictly as any other input.
 *
 * All functions here assume `ready()` has resolved (see sodium.ts).
 */
import { ProtocolError } from "../errors.ts";
import {
  AUTHORITY_BOX_PUBLIC_KEY_BYTES,
  authorityKeyId,
  type CitizenCard,
  encodeCitizenCard,
  maskName,
} from "../record/citizen-card.ts";
import { type Contact, decodeContact, encodeContact } from "../record/contact.ts";
import { lib } from "./sodium.ts";

const SECRET_KEY_BYTES = 32;

export interface AuthorityBoxKeyPair {
  /** X25519 public key, 32 bytes: published, and printed (by key id) on every card. */
  readonly publicKey: Uint8Array;
  /** X25519 secret key, 32 bytes: held by the health authority only. */
  readonly secretKey: Uint8Array;
}

export function generateAuthorityBoxKeyPair(): AuthorityBoxKeyPair {
  const kp = lib().crypto_box_keypair();
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

function checkPublicKey(pk: Uint8Array): void {
  if (!(pk instanceof Uint8Array) || pk.length !== AUTHORITY_BOX_PUBLIC_KEY_BYTES) {
    throw new ProtocolError(
      "bad-length",
      `an authority box key is ${AUTHORITY_BOX_PUBLIC_KEY_BYTES} bytes`,
    );
  }
}

/**
 * crypto_box_seal(encodeContact(contact), pk): 48 bytes longer than the payload (55–165 bytes).
 * Throws the contact's ProtocolError for invalid fields, "bad-length" for a key that is not 32
 * bytes and "bad-point" for a key libsodium refuses (a low-order point).
 */
export function sealContactToAuthority(
  contact: Contact,
  authorityBoxPublicKey: Uint8Array,
): Uint8Array {
  const payload = encodeContact(contact);
  checkPublicKey(authorityBoxPublicKey);
  const sodium = lib();
  try {
    return sodium.crypto_box_seal(payload, authorityBoxPublicKey);
  } catch {
    throw new ProtocolError("bad-point", "the authority box key is not a usable X25519 key");
  }
}

/**
 * Opens a sealed contact. Throws ProtocolError("decryption-failed") when it does not open with
 * this key pair (another key, tampering, wrong lengths), and decodeContact's ProtocolError when
 * it opens but does not hold a valid contact payload.
 */
export function openSealedContact(
  sealed: Uint8Array,
  authorityBoxPublicKey: Uint8Array,
  authorityBoxSecretKey: Uint8Array,
): Contact {
  const sodium = lib();
  let payload: Uint8Array;
  try {
    if (
      !(sealed instanceof Uint8Array) ||
      !(authorityBoxPublicKey instanceof Uint8Array) ||
      !(authorityBoxSecretKey instanceof Uint8Array) ||
      authorityBoxPublicKey.length !== AUTHORITY_BOX_PUBLIC_KEY_BYTES ||
      authorityBoxSecretKey.length !== SECRET_KEY_BYTES
    ) {
      throw new Error("bad input");
    }
    payload = sodium.crypto_box_seal_open(sealed, authorityBoxPublicKey, authorityBoxSecretKey);
  } catch {
    throw new ProtocolError("decryption-failed", "the sealed contact does not open with this key");
  }
  return decodeContact(payload);
}

/**
 * Everything printed on a citizen card: the masked name, the authority key id and the sealed
 * contact. Render it with cardToText.
 */
export function issueCitizenCard(
  deployment: string,
  contact: Contact,
  authorityBoxPublicKey: Uint8Array,
): CitizenCard {
  const card: CitizenCard = {
    deployment,
    maskedName: maskName(contact.name),
    authorityKeyId: authorityKeyId(authorityBoxPublicKey),
    sealedContact: sealContactToAuthority(contact, authorityBoxPublicKey),
  };
  encodeCitizenCard(card); // validates the deployment and sizes now rather than when printed
  return card;
}
