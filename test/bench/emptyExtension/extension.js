// Bench only, never shipped: installed into code-server by test/bench/activation.mjs. An extension that does
// nothing, loaded the way Hangar is (CommonJS, onStartupFinished) and ordered just before it, so its figure
// is what VS Code reports for any extension in that place of the window's start-up batch (see activation.mjs).
exports.activate = () => {};
exports.deactivate = () => {};
