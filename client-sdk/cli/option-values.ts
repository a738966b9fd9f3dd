/**
 * Keys and other base64url values may begin with "-" (one value in 64 does). node:util's
 * parseArgs reads such a value after `--registry-key` as another option and refuses the command
 * line as ambiguous, so a person pasting a key would fail at random. Before parsing, each
 * string option's next argument is joined to it (`--registry-key=-AbC…`) unless that argument
 * is itself one of the command's options.
 */
interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
}

export function joinOptionValues(
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): string[] {
  const names = Object.keys(options);
  const isOption = (arg: string) =>
    arg === "--" ||
    names.some((n) => arg === `--${n}` || arg.startsWith(`--${n}=`)) ||
    names.some((n) => options[n]?.short !== undefined && arg === `-${options[n]?.short}`);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (
      name !== undefined &&
      options[name]?.type === "string" &&
      next?.startsWith("-") &&
      !isOption(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
