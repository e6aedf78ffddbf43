/**
 * The login page of `dam serve` with accounts: plain HTML, its script and its style as files of
 * their own (the CSP allows no inline code), served without a session. The script posts the name
 * and password as JSON to /login (a cross-site form cannot send JSON) and goes on to the page the
 * visitor asked for, a path on this server only.
 */
export const LOGIN_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · Tessera</title>
<link rel="stylesheet" href="/login.css">
<script src="/login.js" defer></script>
</head>
<body>
<main>
<h1>Tessera</h1>
<form id="login" novalidate>
<label for="name">Name</label>
<input id="name" name="name" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<p id="message" role="alert" aria-live="assertive"></p>
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>
`;

export const LOGIN_JS = `'use strict';
(function () {
  var form = document.getElementById('login');
  var message = document.getElementById('message');
  function next() {
    var n = new URLSearchParams(location.search).get('next') || '/';
    // Only a path of this server: never //elsewhere or a scheme.
    return /^\\/(?![\\/\\\\])/.test(n) ? n : '/';
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    message.textContent = '';
    var button = form.querySelector('button');
    button.disabled = true;
    fetch('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ name: form.name.value, password: form.password.value }),
    })
      .then(function (res) {
        return res.json().catch(function () { return { ok: false, error: { message: res.status + ' ' + res.statusText } }; });
      })
      .then(function (body) {
        if (body.ok) { location.replace(next()); return; }
        message.textContent = body.error && body.error.message ? body.error.message : 'could not log in';
        form.password.value = '';
        form.password.focus();
      })
      .catch(function () { message.textContent = 'Tessera is not reachable: is dam serve still running?'; })
      .finally(function () { button.disabled = false; });
  });
  form.name.focus();
})();
`;

export const LOGIN_CSS = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
main { width: min(22rem, 90vw); }
h1 { font-size: 1.4rem; font-weight: 600; margin: 0 0 1.5rem; }
form { display: grid; gap: 0.4rem; }
label { font-size: 0.9rem; margin-top: 0.6rem; }
input { font: inherit; padding: 0.5rem 0.6rem; border: 1px solid GrayText; border-radius: 6px; }
button { font: inherit; margin-top: 1rem; padding: 0.55rem; border-radius: 6px; border: 0; background: #2f6fdf; color: white; cursor: pointer; }
button:disabled { opacity: 0.6; }
#message { min-height: 1.2em; margin: 0.4rem 0 0; color: #c0392b; font-size: 0.9rem; }
`;
