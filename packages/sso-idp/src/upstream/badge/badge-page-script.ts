import { createHash } from 'node:crypto';

/**
 * The only script of the badge page (allowed by its hash):
 * - a badge URL opened by the device's own camera app carries the token in its fragment, which never reaches the
 *   server: the script takes it out of the address bar and the history, and posts it;
 * - otherwise, where the browser can read QR codes (`BarcodeDetector`: ChromeOS, Android, macOS), a "Scan my
 *   badge" button shows the camera on the page; a code for this very page (same origin, path and district) is
 *   posted the same way, and the page's `return_to` is kept, so a sign-in started by an app goes on to the app.
 *   Codes for anything else are ignored.
 */
export const badgePageScript = `(function () {
  var form = document.getElementById('badge-form');
  var page = location.origin + location.pathname;
  function post(token) { form.elements.badge.value = decodeURIComponent(token); form.submit(); }
  var token = location.hash.slice(1);
  if (token) { history.replaceState(null, '', location.pathname + location.search); post(token); return; }
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  document.getElementById('badge-scanner').hidden = false;
  document.getElementById('scan-badge').addEventListener('click', function () {
    var video = document.getElementById('badge-camera');
    var detector = new BarcodeDetector({ formats: ['qr_code'] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      function look() {
        detector.detect(video).then(function (codes) {
          for (var i = 0; i < codes.length; i++) {
            var url;
            try { url = new URL(codes[i].rawValue); } catch (error) { continue; }
            if (url.origin + url.pathname === page && url.hash.length > 1) {
              stream.getTracks().forEach(function (track) { track.stop(); });
              post(url.hash.slice(1));
              return;
            }
          }
          setTimeout(look, 250);
        }, function () { setTimeout(look, 250); });
      }
      look();
    }, function () {
      document.getElementById('scan-message').textContent =
        'The camera is not available here. Open the link on your badge instead.';
    });
  });
})();`;

export const badgePageScriptHash = `sha256-${createHash('sha256').update(badgePageScript).digest('base64')}`;
