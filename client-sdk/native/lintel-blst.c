/*
 * lintel-blst: BLS12-381 through blst (github.com/supranational/blst) for Node, as a Node-API
 * addon. It exposes exactly the operations of Lintel's curve seam (protocol/src/tibe/backend.ts);
 * protocol/src/fast-curves/blst-curves.ts turns them into a backend, and documents why each gives
 * the reference backend's bytes.
 *
 * Calling convention: every argument and result is a Uint8Array. Points travel as blst's affine
 * structures (blst_p1_affine 96 bytes, blst_p2_affine 192), pairing values as blst_fp12 (576),
 * a prepared G2 point as its 68 blst_fp6 line coefficients, scalars as 32 bytes little-endian.
 * A decoder returns null for an encoding blst refuses; an argument of the wrong type or length
 * throws, so a caller's mistake never reads past a buffer.
 *
 * Built by scripts/blst-native.mjs at install time, against the blst sources it takes from a
 * pinned npm tarball; the build is optional (where it cannot be made, Node keeps mcl-wasm).
 */
#include <node_api.h>
#include <string.h>
#include <stdlib.h>
#include "blst.h"

#define LINES 68

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_error(env, "lintel-blst", msg);
  return NULL;
}

/* Reads argument i as a Uint8Array of exactly len bytes (len 0: any length). */
static const uint8_t *bytes_arg(napi_env env, napi_value *argv, size_t argc, size_t i, size_t len,
                                size_t *out_len) {
  if (i >= argc) return NULL;
  bool is_ta = false;
  if (napi_is_typedarray(env, argv[i], &is_ta) != napi_ok || !is_ta) return NULL;
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[i], &type, &length, &data, &ab, &offset) != napi_ok)
    return NULL;
  if (type != napi_uint8_array) return NULL;
  if (len != 0 && length != len) return NULL;
  if (out_len) *out_len = length;
  return data ? (const uint8_t *)data : (const uint8_t *)"";
}

static napi_value out_bytes(napi_env env, const void *data, size_t len) {
  void *dst;
  napi_value ab, ta;
  if (napi_create_arraybuffer(env, len, &dst, &ab) != napi_ok) return NULL;
  memcpy(dst, data, len);
  napi_create_typedarray(env, napi_uint8_array, len, ab, 0, &ta);
  return ta;
}

static napi_value out_null(napi_env env) {
  napi_value v;
  napi_get_null(env, &v);
  return v;
}

static napi_value out_bool(napi_env env, bool b) {
  napi_value v;
  napi_get_boolean(env, b, &v);
  return v;
}

#define ARGS(n)                                                         \
  size_t argc = n;                                                      \
  napi_value argv[n];                                                   \
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
#define ARG(i, len) bytes_arg(env, argv, argc, i, len, NULL)
#define NEED(x) if (!(x)) return fail(env, "bad argument")

/* g1Decode(bytes48, checkSubgroup) -> affine, or null for an encoding blst refuses */
static napi_value g1_decode(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *in = ARG(0, 48);
  NEED(in);
  bool check;
  NEED(napi_get_value_bool(env, argv[1], &check) == napi_ok);
  blst_p1_affine p;
  if (blst_p1_uncompress(&p, in) != BLST_SUCCESS) return out_null(env);
  if (check && !blst_p1_affine_in_g1(&p)) return out_null(env);
  return out_bytes(env, &p, sizeof p);
}
static napi_value g2_decode(napi_env env, napi_callback_info info) {
  ARGS(1);
  const uint8_t *in = ARG(0, 96);
  NEED(in);
  blst_p2_affine p;
  if (blst_p2_uncompress(&p, in) != BLST_SUCCESS) return out_null(env);
  if (!blst_p2_affine_in_g2(&p)) return out_null(env);
  return out_bytes(env, &p, sizeof p);
}
static napi_value g1_encode(napi_env env, napi_callback_info info) {
  ARGS(1);
  const uint8_t *in = ARG(0, sizeof(blst_p1_affine));
  NEED(in);
  uint8_t out[48];
  blst_p1_affine_compress(out, (const blst_p1_affine *)in);
  return out_bytes(env, out, 48);
}
static napi_value g2_encode(napi_env env, napi_callback_info info) {
  ARGS(1);
  const uint8_t *in = ARG(0, sizeof(blst_p2_affine));
  NEED(in);
  uint8_t out[96];
  blst_p2_affine_compress(out, (const blst_p2_affine *)in);
  return out_bytes(env, out, 96);
}
/* g1Mul(affine | null for the generator, scalar 32 bytes little-endian) */
static napi_value g1_mul(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *s = ARG(1, 32);
  NEED(s);
  blst_p1 p, r;
  napi_valuetype t;
  napi_typeof(env, argv[0], &t);
  if (t == napi_null) {
    p = *blst_p1_generator();
  } else {
    const uint8_t *a = ARG(0, sizeof(blst_p1_affine));
    NEED(a);
    blst_p1_from_affine(&p, (const blst_p1_affine *)a);
  }
  blst_p1_mult(&r, &p, s, 255);
  blst_p1_affine o;
  blst_p1_to_affine(&o, &r);
  return out_bytes(env, &o, sizeof o);
}
static napi_value g2_mul(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *a = ARG(0, sizeof(blst_p2_affine));
  const uint8_t *s = ARG(1, 32);
  NEED(a && s);
  blst_p2 p, r;
  blst_p2_from_affine(&p, (const blst_p2_affine *)a);
  blst_p2_mult(&r, &p, s, 255);
  blst_p2_affine o;
  blst_p2_to_affine(&o, &r);
  return out_bytes(env, &o, sizeof o);
}
static napi_value g1_add(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *a = ARG(0, sizeof(blst_p1_affine));
  const uint8_t *b = ARG(1, sizeof(blst_p1_affine));
  NEED(a && b);
  blst_p1 p, r;
  blst_p1_from_affine(&p, (const blst_p1_affine *)a);
  blst_p1_add_or_double_affine(&r, &p, (const blst_p1_affine *)b);
  blst_p1_affine o;
  blst_p1_to_affine(&o, &r);
  return out_bytes(env, &o, sizeof o);
}
static napi_value g2_add(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *a = ARG(0, sizeof(blst_p2_affine));
  const uint8_t *b = ARG(1, sizeof(blst_p2_affine));
  NEED(a && b);
  blst_p2 p, r;
  blst_p2_from_affine(&p, (const blst_p2_affine *)a);
  blst_p2_add_or_double_affine(&r, &p, (const blst_p2_affine *)b);
  blst_p2_affine o;
  blst_p2_to_affine(&o, &r);
  return out_bytes(env, &o, sizeof o);
}
static napi_value g1_equal(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *a = ARG(0, sizeof(blst_p1_affine));
  const uint8_t *b = ARG(1, sizeof(blst_p1_affine));
  NEED(a && b);
  return out_bool(env, blst_p1_affine_is_equal((const blst_p1_affine *)a, (const blst_p1_affine *)b));
}
static napi_value g1_is_zero(napi_env env, napi_callback_info info) {
  ARGS(1);
  const uint8_t *a = ARG(0, sizeof(blst_p1_affine));
  NEED(a);
  return out_bool(env, blst_p1_affine_is_inf((const blst_p1_affine *)a));
}
static napi_value g2_is_zero(napi_env env, napi_callback_info info) {
  ARGS(1);
  const uint8_t *a = ARG(0, sizeof(blst_p2_affine));
  NEED(a);
  return out_bool(env, blst_p2_affine_is_inf((const blst_p2_affine *)a));
}
static napi_value hash_to_g2(napi_env env, napi_callback_info info) {
  ARGS(2);
  size_t mlen, dlen;
  const uint8_t *m = bytes_arg(env, argv, argc, 0, 0, &mlen);
  const uint8_t *d = bytes_arg(env, argv, argc, 1, 0, &dlen);
  NEED(m && d);
  blst_p2 r;
  blst_hash_to_g2(&r, m, mlen, d, dlen, NULL, 0);
  blst_p2_affine o;
  blst_p2_to_affine(&o, &r);
  return out_bytes(env, &o, sizeof o);
}
static napi_value pairing(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *p = ARG(0, sizeof(blst_p1_affine));
  const uint8_t *q = ARG(1, sizeof(blst_p2_affine));
  NEED(p && q);
  blst_fp12 f, g;
  blst_miller_loop(&f, (const blst_p2_affine *)q, (const blst_p1_affine *)p);
  blst_final_exp(&g, &f);
  return out_bytes(env, &g, sizeof g);
}
/* pairingProductIsOne(p1s concatenated, p2s concatenated) */
static napi_value pairing_product_is_one(napi_env env, napi_callback_info info) {
  ARGS(2);
  size_t l1, l2;
  const uint8_t *ps = bytes_arg(env, argv, argc, 0, 0, &l1);
  const uint8_t *qs = bytes_arg(env, argv, argc, 1, 0, &l2);
  NEED(ps && qs);
  size_t n = l1 / sizeof(blst_p1_affine);
  NEED(l1 % sizeof(blst_p1_affine) == 0 && l2 == n * sizeof(blst_p2_affine));
  blst_fp12 acc = *blst_fp12_one(), m, g;
  for (size_t i = 0; i < n; i++) {
    blst_miller_loop(&m, (const blst_p2_affine *)(qs + i * sizeof(blst_p2_affine)),
                     (const blst_p1_affine *)(ps + i * sizeof(blst_p1_affine)));
    blst_fp12_mul(&acc, &acc, &m);
  }
  blst_final_exp(&g, &acc);
  return out_bool(env, blst_fp12_is_one(&g));
}
static napi_value prepare_g2(napi_env env, napi_callback_info info) {
  ARGS(1);
  const uint8_t *q = ARG(0, sizeof(blst_p2_affine));
  NEED(q);
  blst_fp6 lines[LINES];
  blst_precompute_lines(lines, (const blst_p2_affine *)q);
  return out_bytes(env, lines, sizeof lines);
}
static napi_value pair_prepared(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *p = ARG(0, sizeof(blst_p1_affine));
  const uint8_t *lines = ARG(1, sizeof(blst_fp6) * LINES);
  NEED(p && lines);
  blst_fp12 f, g;
  blst_miller_loop_lines(&f, (const blst_fp6 *)lines, (const blst_p1_affine *)p);
  blst_final_exp(&g, &f);
  return out_bytes(env, &g, sizeof g);
}
/* g^s for g in GT: square-and-multiply with cyclotomic squarings (valid in GT). */
static napi_value gt_pow(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *g = ARG(0, sizeof(blst_fp12));
  const uint8_t *s = ARG(1, 32);
  NEED(g && s);
  blst_fp12 acc = *blst_fp12_one();
  for (int bit = 255; bit >= 0; bit--) {
    blst_fp12_cyclotomic_sqr(&acc, &acc);
    if ((s[bit >> 3] >> (bit & 7)) & 1) blst_fp12_mul(&acc, &acc, (const blst_fp12 *)g);
  }
  return out_bytes(env, &acc, sizeof acc);
}
static napi_value gt_to_bytes(napi_env env, napi_callback_info info) {
  ARGS(1);
  const uint8_t *g = ARG(0, sizeof(blst_fp12));
  NEED(g);
  const blst_fp *fp = (const blst_fp *)g;
  uint8_t out[576];
  for (int i = 0; i < 12; i++) blst_bendian_from_fp(out + 48 * i, fp + i);
  return out_bytes(env, out, 576);
}

#define EXPORT(name, fn) { name, 0, fn, 0, 0, 0, napi_default, 0 }
static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    EXPORT("g1Decode", g1_decode), EXPORT("g2Decode", g2_decode),
    EXPORT("g1Encode", g1_encode), EXPORT("g2Encode", g2_encode),
    EXPORT("g1Mul", g1_mul), EXPORT("g2Mul", g2_mul),
    EXPORT("g1Add", g1_add), EXPORT("g2Add", g2_add),
    EXPORT("g1Equal", g1_equal), EXPORT("g1IsZero", g1_is_zero), EXPORT("g2IsZero", g2_is_zero),
    EXPORT("hashToG2", hash_to_g2), EXPORT("pairing", pairing),
    EXPORT("pairingProductIsOne", pairing_product_is_one),
    EXPORT("prepareG2", prepare_g2), EXPORT("pairPrepared", pair_prepared),
    EXPORT("gtPow", gt_pow), EXPORT("gtToBytes", gt_to_bytes),
  };
  napi_define_properties(env, exports, sizeof props / sizeof *props, props);
  return exports;
}
NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
