// Types of scripts/blst-native.mjs (plain JavaScript: it runs before TypeScript is installed).
export declare const BLST_ADDON_FILE: string;
/** Why the addon cannot be built here, or undefined when it can be tried. */
export declare function unsupported(): string | undefined;
/** Throws unless `file` has the pinned SHA-512 of blst's source tarball. */
export declare function checkTarball(file: string): void;
/** "built", "current" or "skipped: <why>"; throws only when a build was tried and failed. */
export declare function ensureBlstNative(): string;
