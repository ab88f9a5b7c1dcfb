/**
 * The platform half of LTI client-side platform storage, as a script an LMS page embeds around its tool iframes. It
 * answers `lti.capabilities` (listing `lti.put_data` and `lti.get_data`), and keeps values per tool origin and key
 * for the lifetime of the page, as the "LTI Platform Storage" spec describes. Responses go back to the asking frame
 * at its own origin.
 */
export const platformStorageScript = `(function () {
  var values = new Map();
  var supported = [{ subject: 'lti.capabilities' }, { subject: 'lti.put_data' }, { subject: 'lti.get_data' }];
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || typeof data.subject !== 'string' || !event.source) return;
    function reply(body) {
      var message = { subject: data.subject + '.response', message_id: data.message_id };
      for (var name in body) message[name] = body[name];
      event.source.postMessage(message, event.origin === 'null' ? '*' : event.origin);
    }
    var slot = event.origin + ' ' + data.key;
    if (data.subject === 'lti.capabilities') reply({ supported_messages: supported });
    else if (data.subject === 'lti.put_data') {
      if (typeof data.key !== 'string') { reply({ error: { code: 'bad_request', message: 'key is required' } }); return; }
      values.set(slot, data.value);
      reply({ key: data.key, value: data.value });
    } else if (data.subject === 'lti.get_data') {
      if (!values.has(slot)) { reply({ key: data.key, error: { code: 'bad_request', message: 'no value for this key' } }); return; }
      reply({ key: data.key, value: values.get(slot) });
    }
  });
})();`;
