// The page imports `points-activity` by name, as a frontend would: Vite resolves the package's
// `browser` condition and emits its .wasm as an asset.
export default {
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  logLevel: "warn",
};
