// The explain page's stepping and pointing (tinybackprop/seeing/picture.py, step_page).
(function () {
  var order = ["forward", "backward", "update"], current = 0, selected = null;
  window.onerror = function (message) { document.body.setAttribute("data-error", message); };
  document.body.className += " js";
  function show(k) {
    current = (k + order.length) % order.length;
    order.forEach(function (name, m) {
      document.getElementById(name).classList.toggle("current", m === current);
      document.getElementById("button-" + name).setAttribute("aria-pressed", m === current);
    });
    if (selected) { point(selected.l, selected.i); }
  }
  function point(l, i) {
    var stage = document.getElementById(order[current]);
    var neuron = stage.querySelector('.neuron[data-l="' + l + '"][data-i="' + i + '"]');
    if (!neuron) { return; }
    stage.querySelectorAll(".neuron.selected").forEach(function (n) { n.classList.remove("selected"); });
    neuron.classList.add("selected");
    stage.querySelector(".panel").textContent = neuron.getAttribute("data-equation");
  }
  document.querySelectorAll(".neuron").forEach(function (n) {
    var l = n.getAttribute("data-l"), i = n.getAttribute("data-i");
    n.addEventListener("mouseover", function () { point(l, i); });
    n.addEventListener("focus", function () { point(l, i); });
    n.addEventListener("click", function () { selected = {l: l, i: i}; point(l, i); });
  });
  order.forEach(function (name, m) {
    document.getElementById("button-" + name).addEventListener("click", function () { show(m); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") { show(current + 1); }
    if (e.key === "ArrowLeft") { show(current - 1); }
  });
  var hash = location.hash.slice(1).split("-"), start = order.indexOf(hash[0]);
  show(start < 0 ? 0 : start);
  if (hash[1] === "select") { selected = {l: "1", i: "0"}; point(1, 0); }  // #backward-select
  if (location.hash === "#selftest") {  // tests/test_picture.py: keys and pointing, in a real browser
    var seen = [];
    for (var k = 0; k < 3; k++) {
      var target = document.querySelector("#" + order[current] + ' .neuron[data-l="1"][data-i="0"]');
      if (target) { target.dispatchEvent(new MouseEvent("mouseover", {bubbles: true})); }
      seen.push({stage: order[current], panel: document.querySelector("#" + order[current] + " .panel").textContent});
      document.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight"}));
    }
    document.getElementById("selftest").textContent = JSON.stringify(seen);
  }
  document.body.setAttribute("data-ready", "yes");
})();
