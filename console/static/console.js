// Progressive enhancement only: every page works without this script.
(function () {
  'use strict';
  // After a failed action, move focus to the message summary so it is read out and visible.
  var summary = document.querySelector('.error-summary');
  if (summary) {
    summary.focus();
  }
  // A live section (a running campaign's progress) is fetched again every few seconds and swapped in.
  var live = document.querySelector('[data-live]');
  if (live && window.fetch && window.DOMParser) {
    var refresh = function () {
      fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (text) {
          if (!text) return;
          var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById(live.id);
          if (!fresh) return;
          live.innerHTML = fresh.innerHTML;
          if (fresh.hasAttribute('data-live')) setTimeout(refresh, Number(live.getAttribute('data-live')) || 5000);
        })
        .catch(function () { setTimeout(refresh, 15000); });
    };
    setTimeout(refresh, Number(live.getAttribute('data-live')) || 5000);
  }
  // A form sent once is not sent twice by a double click (the API would refuse the stale version anyway).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
    if (form.dataset.sent === '1') {
      event.preventDefault();
      return;
    }
    form.dataset.sent = '1';
    var buttons = form.querySelectorAll('button[type="submit"]');
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute('aria-disabled', 'true');
  });
})();
