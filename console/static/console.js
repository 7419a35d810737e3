// Progressive enhancement only: every page works without this script.
(function () {
  'use strict';
  // After a failed action, move focus to the message summary so it is read out and visible.
  var summary = document.querySelector('.error-summary');
  if (summary) {
    summary.focus();
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
