// Apertium's Occitan suggestions beside the French field of the lexicon's admin forms.
// The input carries everything as data attributes (occitan.admin_forms.SuggestInput): the
// URL to ask, the fields each mode's suggestion may be copied into, the French labels.
// No inline code: the admin's Content-Security-Policy allows scripts from 'self' only.
(function () {
  "use strict";

  function labelOf(field) {
    var label = document.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.replace(/\*/g, "").trim() : field.name;
  }

  function setup(input) {
    if (input.dataset.occitanReady) return;
    input.dataset.occitanReady = "1";
    var targets = JSON.parse(input.dataset.occitanTargets || "{}");
    var box = document.createElement("div");
    box.className = "help-block occitan-suggestion";
    box.setAttribute("aria-live", "polite");
    box.id = input.id + "-suggestion";
    input.insertAdjacentElement("afterend", box);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + box.id);
    var timer = null;
    var asked = "";
    var controller = null;

    function show(data) {
      box.textContent = "";
      if (data.error) {
        box.textContent = data.error;
        return;
      }
      var notice = document.createElement("p");
      notice.textContent = input.dataset.labelNotice;
      box.appendChild(notice);
      var list = document.createElement("ul");
      (data.suggestions || []).forEach(function (item) {
        var li = document.createElement("li");
        var text = document.createElement("span");
        text.lang = "oc";
        text.textContent = item.text;
        li.appendChild(document.createTextNode(item.label + " : "));
        li.appendChild(text);
        var target = targets[item.mode] && document.getElementById(targets[item.mode]);
        if (target && item.text) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "button button-small button-secondary";
          button.textContent = input.dataset.labelCopy.replace("%(field)s", labelOf(target));
          button.addEventListener("click", function () {
            target.value = item.text;
            target.dispatchEvent(new Event("input", { bubbles: true }));
            target.dispatchEvent(new Event("change", { bubbles: true }));
            var flag = document.getElementById(input.dataset.occitanFlag);
            if (flag && !flag.checked) {
              flag.checked = true;
              flag.dispatchEvent(new Event("change", { bubbles: true }));
            }
            target.focus();
          });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(button);
        }
        list.appendChild(li);
      });
      if (!list.children.length) {
        box.appendChild(document.createTextNode(input.dataset.labelNone));
        return;
      }
      box.appendChild(list);
    }

    function ask() {
      var query = input.value.trim();
      if (query === asked) return;
      asked = query;
      if (controller) controller.abort();
      if (!query) {
        box.textContent = "";
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      box.textContent = input.dataset.labelWait;
      var url = input.dataset.occitanSuggest + "?q=" + encodeURIComponent(query.slice(0, 200));
      fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.json();
        })
        .then(show)
        .catch(function (error) {
          if (error.name !== "AbortError") box.textContent = input.dataset.labelNone;
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 600);
    });
    input.addEventListener("change", ask);
  }

  function init() {
    document.querySelectorAll("input[data-occitan-suggest]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
