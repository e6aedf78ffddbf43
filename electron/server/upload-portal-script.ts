// The upload portal's own script (served at /u/TOKEN/portal.js; no app code, no framework): sends
// each chosen file in chunks, and after a dropped connection asks the server how much arrived
// (HEAD) and goes on from there. An upload begun earlier in this browser (same file name, size and
// date) is resumed rather than started again.
export const PORTAL_SCRIPT = String.raw`'use strict';
(function () {
  var form = document.getElementById('portal');
  var list = document.getElementById('progress');
  var endpoint = form.dataset.endpoint;
  var CHUNK = Number(form.dataset.chunk) || 1048576;
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function remembered(f) { return 'tessera-upload:' + endpoint + ':' + f.name + ':' + f.size + ':' + f.lastModified; }
  function forget(f) { try { localStorage.removeItem(remembered(f)); } catch (e) {} }

  async function errorOf(r) {
    try { var b = await r.json(); if (b && b.error) return b.error; } catch (e) {}
    return 'refused (' + r.status + ')';
  }

  async function offsetAt(key) {
    var r = await fetch(endpoint + '/' + key, { method: 'HEAD', cache: 'no-store' });
    if (!r.ok) return null;
    return Number(r.headers.get('Upload-Offset'));
  }

  async function begin(file, uploader, note) {
    var saved = null;
    try { saved = localStorage.getItem(remembered(file)); } catch (e) {}
    if (saved) {
      try { var at = await offsetAt(saved); if (at !== null) return { key: saved, offset: at }; } catch (e) {}
    }
    var r = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: file.name, size: file.size, uploader: uploader, note: note }),
    });
    if (!r.ok) throw new Error(await errorOf(r));
    var b = await r.json();
    try { localStorage.setItem(remembered(file), b.key); } catch (e) {}
    return { key: b.key, offset: b.offset };
  }

  async function send(file, uploader, note, row) {
    var up = await begin(file, uploader, note);
    var offset = up.offset;
    var drops = 0;
    for (;;) {
      row.progress(offset / file.size);
      var r;
      try {
        r = await fetch(endpoint + '/' + up.key, {
          method: 'PATCH',
          headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
          body: file.slice(offset, Math.min(offset + CHUNK, file.size)),
        });
      } catch (e) {
        // The connection dropped: wait a little, ask how much arrived, and go on from there.
        drops++;
        if (drops > 30) throw new Error('the connection keeps dropping: try again later');
        row.note('connection lost, resuming…');
        await sleep(Math.min(300 * drops, 5000));
        try { var at = await offsetAt(up.key); if (at !== null) offset = at; } catch (e2) {}
        continue;
      }
      if (r.status === 204) { offset = Number(r.headers.get('Upload-Offset')); drops = 0; row.note(''); continue; }
      if (r.status === 409 && r.headers.get('Upload-Offset') !== null) {
        // Still being written by the request that dropped, or the offset moved: go on from the server's.
        await sleep(300);
        offset = Number(r.headers.get('Upload-Offset'));
        continue;
      }
      if (r.ok) { var b = await r.json(); forget(file); row.done(b.path); return; }
      forget(file);
      throw new Error(await errorOf(r));
    }
  }

  function rowFor(file) {
    var li = document.createElement('li');
    var name = document.createElement('span');
    name.textContent = file.name + ' ';
    var bar = document.createElement('progress');
    bar.max = 1; bar.value = 0;
    bar.setAttribute('aria-label', file.name);
    var status = document.createElement('span');
    li.append(name, bar, status);
    list.append(li);
    return {
      progress: function (p) { bar.value = p; },
      note: function (t) { status.textContent = t ? ' ' + t : ''; },
      done: function (path) { bar.value = 1; status.className = 'done'; status.textContent = ' received'; li.dataset.path = path; },
      failed: function (m) { status.className = 'error'; status.textContent = ' ' + m; },
    };
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var uploader = form.elements.uploader.value.trim();
    var note = form.elements.note.value;
    var files = Array.prototype.slice.call(form.elements.files.files);
    var button = form.querySelector('button');
    button.disabled = true;
    for (var i = 0; i < files.length; i++) {
      var row = rowFor(files[i]);
      try { await send(files[i], uploader, note, row); } catch (e) { row.failed(e.message); }
    }
    button.disabled = false;
  });
})();
`;
