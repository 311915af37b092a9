// Speaker suggestions for the search form: fills the <datalist> from /api/speakers as the user types.
// The form works without this script; it only adds suggestions.
(function () {
  "use strict";
  var input = document.getElementById("speaker");
  var list = document.getElementById("speaker-suggestions");
  if (!input || !list || !window.fetch) return;
  var url = input.getAttribute("data-suggest-url");
  var timer = null;
  var lastQuery = null;

  function fill(names) {
    while (list.firstChild) list.removeChild(list.firstChild);
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name; // set as a property: never parsed as HTML
      list.appendChild(option);
    });
  }

  function suggest() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    // The most quoted first: the speaker a journalist most likely means.
    var params = new URLSearchParams({ per_page: "10", sort: "quotes" });
    if (query) params.set("q", query);
    fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) {
        if (query !== lastQuery) return; // a later keystroke already asked again
        fill((data.items || []).map(function (s) { return s.name; }));
      })
      .catch(function () { /* suggestions are a convenience; search still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });
  input.addEventListener("focus", suggest);
})();
