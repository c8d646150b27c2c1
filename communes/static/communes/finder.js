/* « Trouver ma commune »: suggestions while typing, as an ARIA 1.2 combobox (an input that
   controls a listbox, the option under the arrows named by aria-activedescendant; focus stays
   in the input). Each option leads straight to a site, which a native <datalist> cannot do:
   it only fills the box. Without JavaScript the form is a plain search that lists the
   matches on /communes/?q=. */
(function () {
  "use strict";

  var input = document.querySelector("input[data-finder]");
  if (!input || !window.fetch) return;
  var d = input.dataset;
  var row = input.closest("[data-finder-row]") || input.parentNode;
  var status = input.form.querySelector("[data-finder-status]");
  var listbox = document.createElement("ul");
  var listId = input.id + "-suggestions";
  var options = [];
  var active = -1;
  var timer = null;
  var asked = "";

  listbox.id = listId;
  listbox.className = "finder-suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", d.listboxLabel);
  listbox.hidden = true;
  row.parentNode.insertBefore(listbox, row.nextSibling);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  function open(yes) {
    listbox.hidden = !yes;
    input.setAttribute("aria-expanded", String(yes));
    if (!yes) select(-1);
  }

  function select(index) {
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", String(i === index));
    });
    active = index;
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
    } else {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  }

  function go(option) {
    window.location.href = option.dataset.url;
  }

  function show(suggestions) {
    listbox.textContent = "";
    options = suggestions.map(function (s, i) {
      var option = document.createElement("li");
      option.id = listId + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = s.url;
      option.appendChild(document.createTextNode(s.name));
      var meta = [s.postcodes, s.epci].filter(Boolean).join(" · ");
      if (meta) {
        var small = document.createElement("span");
        small.className = "meta";
        small.textContent = " " + meta;
        option.appendChild(small);
      }
      // mousedown would blur the input and close the list before the click lands.
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { go(option); });
      listbox.appendChild(option);
      return option;
    });
    active = -1;
    open(options.length > 0);
    if (!options.length) status.textContent = d.foundNone;
    else if (options.length === 1) status.textContent = d.foundOne;
    else status.textContent = d.foundMany.replace("%s", options.length);
  }

  function ask() {
    var q = input.value.trim();
    if (q.length < 2) { asked = ""; show([]); status.textContent = ""; return; }
    if (q === asked) return;
    asked = q;
    fetch(d.finder + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) { if (q === input.value.trim()) show(data.suggestions || []); })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      if (listbox.hidden) open(true);
      // Past either end, back to the text typed (-1), as the APG's list autocomplete does.
      var next = active + (event.key === "ArrowDown" ? 1 : -1);
      if (next >= options.length) next = -1;
      else if (next < -1) next = options.length - 1;
      select(next);
    } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
      event.preventDefault();
      go(options[active]);
    } else if (event.key === "Escape" && !listbox.hidden) {
      event.preventDefault();
      open(false);
    }
  });

  input.addEventListener("blur", function () { open(false); });
  input.addEventListener("focus", function () { if (options.length && input.value.trim()) open(true); });
})();
