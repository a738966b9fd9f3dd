/**
 * Poster figures, measured in Node: building the A4 PDF for one entrance and for a venue's ten
 * (the "download all posters" button), with the 10.5 MB Noto Sans SC font subset each time.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { buildPosterPdf, type PosterEntrance } from "@lintel/client-sdk";
import { type Figure, medianAsyncMs } from "./protocol.ts";

const FONT = "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf";

export async function posterBenchmarks(
  say: (line: string) => void,
): Promise<Record<string, Figure>> {
  const font = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve(FONT)));
  const entrance = (i: number): PosterEntrance => ({
    // A realistic 262-character code URL (PROTOCOL.md §3.3): the QR is what it would be.
    codeUrl: `https://checkin.example.org/c#${"IMAQIZDFNVXQO2DCOIWWY2LC".repeat(10)}${i}`,
    manualCode: "7KQ2-M9XA-PE3",
    version: 1,
    issuedAt: new Date(),
    venueName: { en: "Harbour Public Library", zh: "海港公共图书馆" },
    entranceLabel: { en: `Entrance ${i}`, zh: `${i}号门` },
  });
  const context = {
    deploymentName: { en: "Lintel", zh: "Lintel" },
    retentionDays: 21,
    reportUrl: "https://checkin.example.org/report",
    privacyUrl: "https://checkin.example.org/privacy",
  };
  const one = await medianAsyncMs(() => buildPosterPdf([entrance(1)], context, font), 7);
  const ten = await medianAsyncMs(
    () =>
      buildPosterPdf(
        Array.from({ length: 10 }, (_, i) => entrance(i)),
        context,
        font,
      ),
    5,
  );
  const size = (await buildPosterPdf([entrance(1)], context, font)).length;
  say(`poster: 1 entrance ${one.toFixed(0)} ms, 10 entrances ${ten.toFixed(0)} ms, ${size} bytes`);
  return {
    "poster.build.1-entrance": { value: one, unit: "ms" },
    "poster.build.10-entrances": { value: ten, unit: "ms" },
    "poster.pdf.1-entrance": { value: size, unit: "bytes" },
  };
}
