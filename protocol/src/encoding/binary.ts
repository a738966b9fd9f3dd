/**
 * Lintel's canonical binary encoding (PROTOCOL.md §1.2).
 *
 * A structure is a fixed sequence of fields; there are no optional fields, maps or field tags, so
 * every value has exactly one encoding and an encoder and decoder agree by construction.
 *
 *   u8 / u16 / u32 / u64   unsigned big-endian integers (u64 as bigint)
 *   fixed(n)               exactly n bytes
 *   bytes8 / bytes16       a u8 / u16 length, then that many bytes
 *   text8                  a u8 length, then UTF-8 that is well-formed, in Unicode NFC, and free of
 *                          control characters (C0, DEL, C1) and of U+2028/U+2029
 *
 * Decoders reject: input that ends early ("truncated"), bytes left after the last field
 * ("trailing-bytes"), lengths above a field's limit ("field-too-long"), text that is not
 * well-formed or not canonical ("bad-text"). Each field's limit is part of its definition.
 */
import { ProtocolError } from "../errors.ts";

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
// Control characters make text ambiguous on screen (and in spreadsheets); line and paragraph
// separators break single-line display. None belongs in a name or label.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const LONE_SURROGATE = /\p{Cs}/u;

export function checkText(value: string, maxBytes: number, field: string): Uint8Array {
  if (FORBIDDEN_TEXT.test(value)) {
    throw new ProtocolError("bad-text", `${field} contains a control character`);
  }
  // A lone surrogate has no UTF-8 form: TextEncoder would silently write U+FFFD instead, so the
  // bytes (and any signature over them) would carry different text from the caller's.
  if (LONE_SURROGATE.test(value)) {
    throw new ProtocolError("bad-text", `${field} is not well-formed Unicode`);
  }
  if (value.normalize("NFC") !== value) {
    throw new ProtocolError("bad-text", `${field} is not in Unicode NFC`);
  }
  const bytes = utf8.encode(value);
  if (bytes.length > maxBytes) {
    throw new ProtocolError("field-too-long", `${field} is longer than ${maxBytes} bytes`);
  }
  return bytes;
}

export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff)
      throw new ProtocolError("bad-value", "u8 out of range");
    this.reserve(1);
    this.buf[this.len++] = v;
    return this;
  }

  u16(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff)
      throw new ProtocolError("bad-value", "u16 out of range");
    this.reserve(2);
    this.buf[this.len++] = v >>> 8;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new ProtocolError("bad-value", "u32 out of range");
    this.reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset).setUint32(this.len, v);
    this.len += 4;
    return this;
  }

  u64(v: bigint): this {
    if (v < 0n || v > 0xffffffffffffffffn) throw new ProtocolError("bad-value", "u64 out of range");
    this.reserve(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setBigUint64(this.len, v);
    this.len += 8;
    return this;
  }

  fixed(bytes: Uint8Array, n: number): this {
    if (bytes.length !== n)
      throw new ProtocolError("bad-length", `expected ${n} bytes, got ${bytes.length}`);
    this.reserve(n);
    this.buf.set(bytes, this.len);
    this.len += n;
    return this;
  }

  bytes8(bytes: Uint8Array, max = 0xff): this {
    if (bytes.length > Math.min(max, 0xff))
      throw new ProtocolError("field-too-long", `at most ${max} bytes`);
    return this.u8(bytes.length).fixed(bytes, bytes.length);
  }

  bytes16(bytes: Uint8Array, max = 0xffff): this {
    if (bytes.length > Math.min(max, 0xffff))
      throw new ProtocolError("field-too-long", `at most ${max} bytes`);
    return this.u16(bytes.length).fixed(bytes, bytes.length);
  }

  text8(value: string, maxBytes: number, field: string): this {
    return this.bytes8(checkText(value, Math.min(maxBytes, 0xff), field));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class Reader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  private take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new ProtocolError("truncated", "input ends early");
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  u8(): number {
    return this.take(1)[0]!;
  }

  u16(): number {
    const b = this.take(2);
    return (b[0]! << 8) | b[1]!;
  }

  u32(): number {
    const b = this.take(4);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
  }

  u64(): bigint {
    const b = this.take(8);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
  }

  fixed(n: number): Uint8Array {
    return this.take(n).slice();
  }

  bytes8(max = 0xff): Uint8Array {
    const n = this.u8();
    if (n > max) throw new ProtocolError("field-too-long", `field of ${n} bytes exceeds ${max}`);
    return this.fixed(n);
  }

  bytes16(max = 0xffff): Uint8Array {
    const n = this.u16();
    if (n > max) throw new ProtocolError("field-too-long", `field of ${n} bytes exceeds ${max}`);
    return this.fixed(n);
  }

  text8(maxBytes: number, field: string): string {
    const raw = this.bytes8(maxBytes);
    let value: string;
    try {
      value = strictUtf8.decode(raw);
    } catch {
      throw new ProtocolError("bad-text", `${field} is not well-formed UTF-8`);
    }
    checkText(value, maxBytes, field);
    return value;
  }

  /** Asserts that every byte was consumed. */
  end(): void {
    if (this.pos !== this.bytes.length) {
      throw new ProtocolError(
        "trailing-bytes",
        `${this.bytes.length - this.pos} unexpected bytes at the end`,
      );
    }
  }
}
