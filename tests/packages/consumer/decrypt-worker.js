// The page's decryption worker: the SDK's entry, imported for its effect.
import "@lintel/client-sdk/browser-worker";
