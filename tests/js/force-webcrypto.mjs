// Preloaded (node --import) to run the JS suites against the WebCrypto backend in Node: without
// process.getBuiltinModule the module cannot reach node:crypto and uses crypto.subtle, as it
// does in browsers and workers.
delete process.getBuiltinModule;
