export {};

/**
 * `pnpm bench`: runs each benchmark module in turn. Each prints its own table of ratios
 * against a baseline measured in the same process tree. `pnpm bench translation` runs one;
 * the other arguments go to the suites (`pnpm bench proxy --rounds 5`).
 */
const suites = ["translation", "validation", "pool", "proxy", "dashboard"] as const;

const args = process.argv.slice(2);
const only = args.filter((a): a is (typeof suites)[number] =>
  (suites as readonly string[]).includes(a),
);
for (const name of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  let mod: { run: (args: string[]) => Promise<void> };
  try {
    mod = await import(`./${name}.ts`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") continue;
    throw error;
  }
  console.log(`\n## ${name}\n`);
  await mod.run(args);
}
