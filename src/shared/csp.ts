/**
 * The screen's Content-Security-Policy: nothing remote, no inline scripts, no eval. Styles allow
 * inline attributes because the charts position their elements with them. Sent as a header by
 * the web server; index.html carries the same policy as a meta tag for the Electron window.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
