// The runtime's own fetch: Next.js wraps the global one in a tracing span and its data cache on every
// call, which a streamed call to Kimi needs neither of (and the hot paths paid for on each request).
export function runtimeFetch(): typeof fetch {
  return (globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch })._nextOriginalFetch ?? globalThis.fetch;
}
