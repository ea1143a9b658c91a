// esbuild bundles imported CSS into the webview's index.css; the import itself has no value.
declare module '*.css';
