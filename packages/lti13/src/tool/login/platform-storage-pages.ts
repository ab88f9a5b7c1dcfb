import { htmlPage, scriptJson } from '../../http/html.ts';

/**
 * The LTI client-side postMessage storage (1EdTech "LTI Client Side postMessages" and "Platform Storage"): the
 * tool's frame asks the LMS window for `lti.capabilities`, stores the state with `lti.put_data`, and reads it back
 * with `lti.get_data` at launch. Messages go with target origin `*` (Canvas answers only to that), and a response
 * is matched by its random `message_id`, and a message is sent again until answered (the LMS page may listen only
 * after the frame has loaded). Where the platform answers nothing, the page falls back to the cookie.
 */
const messagingScript = `
function ltiMessageId() {
  return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
}
function ltiFrame(name) {
  var root = window.parent !== window ? window.parent : window.opener;
  if (!root) return undefined;
  if (!name || name === '_parent') return root;
  try { return root.frames[name] || root; } catch (error) { return root; }
}
function ltiSend(target, message, timeoutMs) {
  return new Promise(function (resolve, reject) {
    if (!target) { reject(new Error('no platform window')); return; }
    // Sent again every 250 ms until answered: the LMS page may install its listener after this frame loaded. The
    // messages are idempotent and share one message_id, so the first answer settles it and later ones are ignored.
    var resend = setInterval(function () { target.postMessage(message, '*'); }, 250);
    var timer = setTimeout(function () { clearInterval(resend); window.removeEventListener('message', onMessage); reject(new Error('timeout')); }, timeoutMs);
    function onMessage(event) {
      var data = event.data;
      if (!data || typeof data !== 'object' || data.message_id !== message.message_id) return;
      if (data.subject !== message.subject + '.response') return;
      clearTimeout(timer);
      clearInterval(resend);
      window.removeEventListener('message', onMessage);
      if (data.error) reject(data.error); else resolve(data);
    }
    window.addEventListener('message', onMessage);
    target.postMessage(message, '*');
  });
}
function ltiStorageFrame(config) {
  return ltiSend(ltiFrame('_parent'), { subject: 'lti.capabilities', message_id: ltiMessageId() }, config.timeoutMs)
    .then(function (capabilities) {
      var messages = capabilities.supported_messages || [];
      var put = messages.filter(function (m) { return m.subject === config.subject; })[0];
      if (!put) throw new Error('no platform storage');
      return ltiFrame(put.frame || config.storageTarget);
    });
}
`;

/** The login page: store the state in the platform, then go to the platform's authorization endpoint. */
export function loginStoragePage(input: {
  authUrl: string;
  state: string;
  storageTarget: string;
  timeoutMs: number;
}): string {
  const config = scriptJson({
    authUrl: input.authUrl,
    state: input.state,
    storageTarget: input.storageTarget,
    timeoutMs: input.timeoutMs,
    subject: 'lti.put_data',
  });
  return htmlPage(
    'Signing in',
    `<p>Signing in…</p>
<script>
${messagingScript}
(function () {
  var config = ${config};
  function go() { window.location.replace(config.authUrl); }
  ltiStorageFrame(config)
    .then(function (frame) {
      return ltiSend(frame, { subject: 'lti.put_data', message_id: ltiMessageId(), key: 'lti_state_' + config.state, value: config.state }, config.timeoutMs);
    })
    .then(go, go);
})();
</script>`,
  );
}

/**
 * The launch verification page: read the state back from the platform storage and post the launch again with
 * it. Only a browser that ran this login's login page holds it.
 */
export function launchStoragePage(input: {
  launchUrl: string;
  idToken: string;
  state: string;
  storageTarget: string;
  timeoutMs: number;
}): string {
  const config = scriptJson({
    launchUrl: input.launchUrl,
    idToken: input.idToken,
    state: input.state,
    storageTarget: input.storageTarget,
    timeoutMs: input.timeoutMs,
    subject: 'lti.get_data',
  });
  return htmlPage(
    'Launching',
    `<p>Launching…</p>
<script>
${messagingScript}
(function () {
  var config = ${config};
  function post(value) {
    var form = document.createElement('form');
    form.method = 'post';
    form.action = config.launchUrl;
    var fields = { id_token: config.idToken, state: config.state, lti_storage_state: value };
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement('input');
      input.type = 'hidden'; input.name = name; input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }
  ltiStorageFrame(config)
    .then(function (frame) {
      return ltiSend(frame, { subject: 'lti.get_data', message_id: ltiMessageId(), key: 'lti_state_' + config.state }, config.timeoutMs);
    })
    .then(function (response) { post(typeof response.value === 'string' ? response.value : '-'); }, function () { post('-'); });
})();
</script>`,
  );
}
