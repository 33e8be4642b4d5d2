/** The HTML pages of the web UI. No inline script or style: the Content-Security-Policy forbids them. */

/** The one page of the web UI; `/ui/app.js` draws the device table or a device into `<main>`. */
export function indexPage(options: { readonly refreshMs: number }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>confsnap</title>
<link rel="stylesheet" href="/ui/style.css">
<script src="/ui/app.js" defer></script>
</head>
<body data-refresh-ms="${Math.max(500, Math.round(options.refreshMs))}">
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="#/">confsnap</a> <span class="muted">configuration backups</span></header>
<main id="main" tabindex="-1"><p>Loading… (this page needs JavaScript)</p></main>
<noscript><p>The device table and device pages need JavaScript. The same data is in the JSON API: <a href="/api/devices">/api/devices</a>.</p></noscript>
</body>
</html>
`;
}

/** The page asking for the token (any page's answer without it, when a token is required). */
export function loginPage(problem?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · confsnap</title>
</head>
<body>
<main>
<h1>confsnap</h1>
<p>This server needs its access token: the value of the environment variable named by <code>--http-token-env</code> (default <code>CONFSNAP_HTTP_TOKEN</code>) of <code>confsnap run</code>.</p>
${problem === undefined ? '' : `<p role="alert"><strong>${problem}</strong></p>\n`}<form method="post" action="/login">
<label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;
}
