import { defineConfig, type Options } from "tsup";

const common: Options = {
  entry: ["src/index.ts"],
  dts: true,
  sourcemap: true,
  target: "node20",
};

export default defineConfig([
  { ...common, format: ["esm"] },
  // @switchyard/openai-compat ships ESM only for now, which require() cannot load: the
  // CommonJS build carries its own copy of the token estimator it uses. Drop `noExternal`
  // once openai-compat ships CommonJS too.
  { ...common, format: ["cjs"], noExternal: ["@switchyard/openai-compat"] },
]);
