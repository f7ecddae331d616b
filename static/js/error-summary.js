// After a failed submit the page opens at the error summary (the form's action carries
// a fragment, which works without JavaScript); this moves the focus there too, so a
// keyboard or screen reader user starts at the list of what to fix.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
