/**
 * The check-in word of one venue for one local day: shown on every pass made at that venue today
 * and on the staff view of that venue's staff, so door staff can tell a live pass from a
 * screenshot of yesterday's, or of a pass from another venue, at a glance. It is derived from a
 * secret (DATA_KEY) and the venue and day, so nobody can know tomorrow's word, or another venue's,
 * in advance, and it is the same in every isolate without storing anything.
 *
 *   key     = HKDF-SHA-256(DATA_KEY, info = "lintel day word v2")           (deriveSubkey)
 *   message = ASCII(localDay) ‖ UTF-8(venueId)
 *   word    = DAY_WORDS[ u32be(HMAC-SHA-256(key, message)[0..4]) mod 32 ]
 *
 * localDay is always exactly 10 bytes ("YYYY-MM-DD", the day in the deployment's time zone;
 * anything else is refused), so the message splits one way only: the first 10 bytes are the day,
 * the rest is the venue id.
 */
import { deriveSubkey } from "../crypto/at-rest.ts";
import type { Env } from "../env.ts";

/** Easy to say and to read at a glance, in both languages. */
export const DAY_WORDS: ReadonlyArray<{ readonly en: string; readonly zh: string }> = [
  { en: "Apple", zh: "苹果" },
  { en: "Bamboo", zh: "竹子" },
  { en: "Cloud", zh: "白云" },
  { en: "Dragon", zh: "龙" },
  { en: "Eagle", zh: "老鹰" },
  { en: "Forest", zh: "森林" },
  { en: "Garden", zh: "花园" },
  { en: "Harbour", zh: "港湾" },
  { en: "Island", zh: "岛屿" },
  { en: "Jade", zh: "玉石" },
  { en: "Kite", zh: "风筝" },
  { en: "Lotus", zh: "荷花" },
  { en: "Mountain", zh: "高山" },
  { en: "Noodle", zh: "面条" },
  { en: "Orange", zh: "橙子" },
  { en: "Panda", zh: "熊猫" },
  { en: "Quilt", zh: "被子" },
  { en: "River", zh: "河流" },
  { en: "Sunrise", zh: "日出" },
  { en: "Tiger", zh: "老虎" },
  { en: "Umbrella", zh: "雨伞" },
  { en: "Violin", zh: "小提琴" },
  { en: "Willow", zh: "柳树" },
  { en: "Lantern", zh: "灯笼" },
  { en: "Yacht", zh: "帆船" },
  { en: "Zebra", zh: "斑马" },
  { en: "Bridge", zh: "桥" },
  { en: "Candle", zh: "蜡烛" },
  { en: "Dolphin", zh: "海豚" },
  { en: "Feather", zh: "羽毛" },
  { en: "Ginger", zh: "生姜" },
  { en: "Honey", zh: "蜂蜜" },
];

const LOCAL_DAY = /^\d{4}-\d{2}-\d{2}$/;
const encoder = new TextEncoder();

export async function dayWord(
  env: Env,
  venueId: string,
  localDay: string,
): Promise<{ en: string; zh: string }> {
  // A fixed-length day keeps the message unambiguous (see the header).
  if (!LOCAL_DAY.test(localDay)) throw new Error(`not a local day: ${localDay}`);
  const raw = await deriveSubkey(env, "lintel day word v2");
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const message = new Uint8Array([...encoder.encode(localDay), ...encoder.encode(venueId)]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  return DAY_WORDS[new DataView(mac.buffer).getUint32(0) % DAY_WORDS.length]!;
}
