// Signs in with the one-time code of the URL (?code=C): a GET changes nothing on the registry,
// so the code goes in a POST, sent at once. Without JavaScript the user presses the button.
'use strict';
(function () {
  const form = document.getElementById('login');
  const input = document.getElementById('code');
  const code = new URLSearchParams(location.search).get('code');
  if (!input.value && code) {
    input.value = code;
  }
  if (input.value) {
    // Keep the code out of the history entry the browser stays on if the POST fails.
    history.replaceState(null, '', location.pathname);
    form.submit();
  }
})();
