/**
 * `@lintel/protocol/seal`: the libsodium-based parts of the protocol, kept apart from the pure
 * entry point so that the worker never loads libsodium.
 *
 * Usage: `await ready()` once; everything else is synchronous and throws an Error if called
 * before `ready()` has resolved.
 */
export type { Aead } from "../record/aead.ts";
export { xchacha20poly1305 } from "./aead.ts";
export {
  type AuthorityBoxKeyPair,
  generateAuthorityBoxKeyPair,
  issueCitizenCard,
  openSealedContact,
  sealContactToAuthority,
} from "./sealed-contact.ts";
export { ready } from "./sodium.ts";
